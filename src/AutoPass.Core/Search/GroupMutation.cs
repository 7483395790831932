using AutoPass.Core.Compilers;

namespace AutoPass.Core.Search;

/// <summary>
/// Local search around the best confident winner (or the baseline while there is none): flip one to three
/// catalog flags, or drop one of the best's own flags. Seeded, so a session is reproducible.
/// </summary>
internal sealed class GroupMutation : ICandidateSource
{
    public string Name => "mutate";

    public Task<IReadOnlyList<Candidate>> ProposeAsync(SearchState state, int count, CancellationToken cancellationToken)
    {
        // Build on a confident winner only: a point estimate above 1 is often noise.
        var best = state.Winners.FirstOrDefault();
        var start = best?.Flags ?? [];
        var edits = CatalogEdits.Flips(state);
        var random = new Random(unchecked(state.Seed * 1_000_003 + state.Trials.Count));
        var proposals = new List<Candidate>();
        for (int attempt = 0; attempt < 50 * count && proposals.Count < count && edits.Count > 0; attempt++)
        {
            var flags = start.ToList();
            var units = FlagUnit.Split(flags);
            if (units.Count > 1 && random.Next(4) == 0)
            {
                int drop = random.Next(units.Count);
                flags = FlagUnit.Join(units.Where((_, i) => i != drop)).ToList();
            }
            int changes = 1 + random.Next(3);
            for (int e = 0; e < changes; e++)
                flags = CatalogEdits.Apply(flags, edits[random.Next(edits.Count)]).ToList();
            if (flags.Count == 0 || state.WasTried(flags) || proposals.Any(p => p.Key == string.Join(' ', flags))) continue;
            if (!state.Policy.Admits(flags)) continue;
            proposals.Add(new Candidate(flags, Name, best is null ? "random group of flag flips" : $"mutation of trial {best.Trial} ({best.Verdict!.Speedup:0.000}x)"));
        }
        return Task.FromResult<IReadOnlyList<Candidate>>(proposals);
    }
}
