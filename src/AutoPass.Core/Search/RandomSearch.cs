using AutoPass.Core.Compilers;

namespace AutoPass.Core.Search;

/// <summary>
/// Plain random search over the same catalog: each candidate flips every on/off flag with a small
/// probability. The yardstick the built-in strategies must beat at the same budget (bench/). As the bandit's
/// "group" arm (<see cref="Groups"/>), it leaves out edits known to change nothing in this program: random groups
/// find the flags no prior list names (-fno-jump-tables on an interpreter, -fno-toplevel-reorder on dp_lcs).
/// </summary>
internal sealed class RandomSearch(string name = "random", bool skipNoOps = false) : ICandidateSource
{
    public string Name => name;

    /// <summary>Random groups of flips among the edits not known to be no-ops: an exploration arm of the bandit.</summary>
    public static RandomSearch Groups() => new("group", skipNoOps: true);

    /// <summary>Expected number of flipped flags per candidate.</summary>
    public const double ExpectedFlips = 6;

    public Task<IReadOnlyList<Candidate>> ProposeAsync(SearchState state, int count, CancellationToken cancellationToken)
    {
        var edits = CatalogEdits.Flips(state).Where(e => !skipNoOps || !state.NoOpUnits.Contains(e.Unit.Display)).ToList();
        var random = new Random(unchecked(state.Seed * 1_000_033 + state.Trials.Count * 7 + 0x5eed + (skipNoOps ? 1 : 0)));
        double p = edits.Count == 0 ? 0 : Math.Min(1, ExpectedFlips / edits.Count);
        var proposals = new List<Candidate>();
        for (int attempt = 0; attempt < 100 && proposals.Count < count && edits.Count > 0; attempt++)
        {
            var flags = FlagUnit.Join(edits.Where(_ => random.NextDouble() < p).Select(e => e.Unit));
            if (flags.Count == 0 || state.WasTried(flags) || !state.Policy.Admits(flags)) continue;
            proposals.Add(new Candidate(flags, Name, skipNoOps ? "random group of flag flips that change this program" : "uniformly random flag flips"));
        }
        return Task.FromResult<IReadOnlyList<Candidate>>(proposals);
    }
}
