using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;

namespace AutoPass.Core.Search;

/// <summary>
/// Local search around one of the best measured programs (confident winners first; the baseline while there is
/// none): flip one to three catalog flags that change this program, or drop one of the elite's own flags. Seeded,
/// so a session is reproducible. With <paramref name="preferEffective"/> (search rules 4), three flips in four are drawn
/// from the edits screened alone that changed the program's binaries, once there are <see cref="MinEffective"/>: an
/// edit never screened leaves a real project's binaries as they were about half the time (lz4: 10 of 18 mutations built
/// a known binary), a build for nothing.
/// </summary>
internal sealed class GroupMutation(bool preferEffective = true) : ICandidateSource
{
    /// <summary>Edits known to change the program before mutation prefers them.</summary>
    public const int MinEffective = 4;

    public string Name => "mutate";

    /// <summary>How many of the best measured programs mutation starts from.</summary>
    public const int Elites = 3;

    /// <summary>An estimate this far above 1 makes an unconfirmed trial an elite.</summary>
    private const double MinEffect = 0.01;

    public Task<IReadOnlyList<Candidate>> ProposeAsync(SearchState state, int count, CancellationToken cancellationToken)
    {
        // Build on one of a few elites (confident winners first), so one lucky first result does not own the search.
        var elites = state.Elites(Elites, MinEffect);
        var edits = CatalogEdits.Flips(state).Where(e => !state.NoOpUnits.Contains(e.Unit.Display)).ToList();
        var effective = preferEffective ? edits.Where(e => state.EffectiveUnits.Contains(e.Unit.Display)).ToList() : [];
        var random = new Random(unchecked(state.Seed * 1_000_003 + state.Trials.Count));
        var proposals = new List<Candidate>();
        for (int attempt = 0; attempt < 50 * count && proposals.Count < count && edits.Count > 0; attempt++)
        {
            var best = elites.Count == 0 ? null : elites[random.Next(elites.Count)];
            var flags = (best?.Flags ?? []).ToList();
            var units = FlagUnit.Split(flags);
            if (units.Count > 1 && random.Next(4) == 0)
            {
                int drop = random.Next(units.Count);
                flags = FlagUnit.Join(units.Where((_, i) => i != drop)).ToList();
            }
            int changes = 1 + random.Next(3);
            for (int e = 0; e < changes; e++)
            {
                var pool = effective.Count >= MinEffective && random.Next(4) != 0 ? effective : edits;
                flags = CatalogEdits.Apply(flags, pool[random.Next(pool.Count)]).ToList();
            }
            if (flags.Count == 0 || state.WasTried(flags) || proposals.Any(p => p.Key == string.Join(' ', flags))) continue;
            if (!state.Policy.Admits(flags)) continue;
            proposals.Add(new Candidate(flags, Name, best is null ? "random group of flag flips" : $"mutation of trial {best.Trial} ({best.Verdict!.Speedup:0.000}x)"));
        }
        return Task.FromResult<IReadOnlyList<Candidate>>(proposals);
    }
}
