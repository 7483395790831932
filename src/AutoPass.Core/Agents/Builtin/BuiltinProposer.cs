namespace AutoPass.Core.Agents.Builtin;

/// <summary>
/// Proposes, in order: combinations of confirmed winners, single edits of the flags named by the hypotheses
/// (highest priority first), untried flags known to matter, then winners stacked on the best; skipping what
/// was tried and what a lesson says hurt or broke.
/// </summary>
internal sealed class BuiltinProposer : IProposer
{
    public Task<StageReply<ProposerReport>> ProposeAsync(ProposerInput input, CancellationToken cancellationToken)
    {
        var proposals = new List<Proposal>();
        var keys = new HashSet<string>(input.Summary.TriedKeys, StringComparer.Ordinal);
        var avoid = input.Lessons
            .Where(l => l.Kind is LessonKind.Hurt or LessonKind.Broken && l.Flags.Count == 1)
            .Select(l => l.Flags[0])
            .Concat(input.Summary.Broken.Where(d => d.Flags.Count == 1).Select(d => d.Flags[0]))
            .ToHashSet(StringComparer.Ordinal);

        bool Add(IReadOnlyList<string> flags, string rationale, string effect)
        {
            if (proposals.Count >= input.Count || flags.Count == 0 || !keys.Add(string.Join(' ', flags))) return false;
            // Each would cost a build for the baseline's binaries (brotli-d, bench run 4: 4 of its 8 proposals).
            if (Search.ParameterTuning.TunesUnrollerWithoutUnrolling(flags)) return false;
            proposals.Add(new Proposal(flags, rationale, effect));
            return true;
        }

        // Winners first: flags that helped alone often add up.
        var winners = input.Summary.Helped.Where(d => d.Flags.Count > 0).ToList();
        for (int take = 2; take <= Math.Min(winners.Count, 4); take++)
        {
            var union = Combine(winners.Take(take).Select(w => w.Flags));
            Add(union, $"Combines the {take} best winners so far.", "at least as fast as the best single winner");
        }

        foreach (var hypothesis in input.Hypotheses.OrderBy(h => h.Priority))
            foreach (var flag in hypothesis.Flags)
            {
                if (avoid.Contains(flag) || input.BaselineFlags.Contains(flag)) continue;
                // A parameter of gcc's unroller does something only with the unroller on.
                if (Search.ParameterTuning.TunesUnrollerWithoutUnrolling([flag]))
                {
                    if (!avoid.Contains("-funroll-loops")) Add(["-funroll-loops", flag], hypothesis.Statement, $"tests: {hypothesis.Statement}");
                    continue;
                }
                Add([flag], hypothesis.Statement, $"tests: {hypothesis.Statement}");
            }

        // Then whatever the catalog has that is known to matter and was not tried, in case the hypotheses were narrow.
        foreach (var flag in input.Summary.Untried)
            if (!avoid.Contains(flag) && !input.BaselineFlags.Contains(flag))
                Add([flag], "A flag known to matter that is still untried.", "unknown; screening it");

        // Each winner on top of the best one, once single edits run out.
        if (input.Summary.Best is { } best)
            foreach (var winner in winners.Skip(1))
                Add(Combine([best.Flags, winner.Flags]), "Adds another winner to the best candidate.", "a further small gain");

        return Task.FromResult(StageReply<ProposerReport>.Of(new ProposerReport(proposals)));
    }

    /// <summary>Union of flag lists in order; a later flag on the same option (-fx vs -fno-x) is dropped.</summary>
    private static List<string> Combine(IEnumerable<IReadOnlyList<string>> flagLists)
    {
        var result = new List<string>();
        var options = new HashSet<string>(StringComparer.Ordinal);
        foreach (var flag in flagLists.SelectMany(f => f))
            if (options.Add(TunableFlags.NameOf(flag))) result.Add(flag);
        return result;
    }
}
