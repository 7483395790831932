using AutoPass.Core.Compilers;

namespace AutoPass.Core.Search;

/// <summary>
/// Local search around the best measured candidate: flip one to three catalog flags, or drop one of the
/// best's own flags. Seeded, so a session is reproducible.
/// </summary>
public sealed class GroupMutation : ICandidateSource
{
    public string Name => "mutate";

    public Task<IReadOnlyList<Candidate>> ProposeAsync(SearchState state, int count, CancellationToken cancellationToken)
    {
        var best = state.Measured.FirstOrDefault(t => t.Verdict!.Speedup > 1);
        var start = best?.Flags ?? [];
        var toggles = state.Catalog.Flags.Where(f => f.Kind == FlagKind.Toggle && f.EnabledAtBaseline is not null).ToList();
        var random = new Random(unchecked(state.Seed * 1_000_003 + state.Trials.Count));
        var proposals = new List<Candidate>();
        for (int attempt = 0; attempt < 50 * count && proposals.Count < count && toggles.Count > 0; attempt++)
        {
            var flags = start.ToList();
            if (flags.Count > 1 && random.Next(4) == 0)
                flags.RemoveAt(random.Next(flags.Count));
            int edits = 1 + random.Next(3);
            for (int e = 0; e < edits; e++)
            {
                var definition = toggles[random.Next(toggles.Count)];
                flags.RemoveAll(f => f == definition.Toggle(true) || f == definition.Toggle(false));
                flags.Add(definition.Flip()!);
            }
            flags = flags.Distinct(StringComparer.Ordinal).ToList();
            if (flags.Count == 0 || state.WasTried(flags) || proposals.Any(p => p.Key == string.Join(' ', flags))) continue;
            if (flags.Any(f => !state.Policy.Evaluate(f).Allowed)) continue;
            proposals.Add(new Candidate(flags, Name, best is null ? "random group of flag flips" : $"mutation of trial {best.Trial} ({best.Verdict!.Speedup:0.000}x)"));
        }
        return Task.FromResult<IReadOnlyList<Candidate>>(proposals);
    }
}
