using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Search;

/// <summary>What a strategy or agent may read when proposing: the compiler's flags, the gate, and every trial so far.</summary>
internal sealed record SearchState(
    FlagCatalog Catalog,
    FlagPolicy Policy,
    IReadOnlyList<string> BaselineFlags,
    IReadOnlyList<TrialRecord> Trials,
    int TrialsLeft,
    int Seed,
    IReadOnlySet<string>? Pending = null)
{
    /// <summary>
    /// Tried before, or already in the batch being proposed (<see cref="Pending"/>, by <see cref="Candidate.Key"/>);
    /// or known to build what was tried: it is a tried set plus edits that alone left the baseline's binaries unchanged
    /// (<see cref="NoOpUnits"/>), or only such edits. Each such proposal would cost a build for a binary already known.
    /// </summary>
    public bool WasTried(IReadOnlyList<string> flags)
    {
        if (Tried(string.Join(' ', flags))) return true;
        var units = FlagUnit.Split(flags);
        var effective = units.Where(u => !NoOpUnits.Contains(u.Display)).ToList();
        if (effective.Count == units.Count) return false;
        return effective.Count == 0 || Tried(string.Join(' ', FlagUnit.Join(effective)));
    }

    private bool Tried(string key) => Pending?.Contains(key) == true || Trials.Any(t => string.Join(' ', t.Flags) == key);

    /// <summary>Edits whose trial alone built binaries identical to the baseline's: they do nothing to this program.</summary>
    public IReadOnlySet<string> NoOpUnits => _noOpUnits ??= Trials
        .Where(t => t.Phase == TrialPhase.Screen && t.ReusedFrom == 0 && FlagUnit.Split(t.Flags).Count == 1)
        .Select(t => string.Join(' ', t.Flags)).ToHashSet(StringComparer.Ordinal);

    private IReadOnlySet<string>? _noOpUnits;

    /// <summary>
    /// Up to <paramref name="count"/> distinct measured programs to build on: confident winners first, then the best
    /// estimates above the minimum effect (an estimate is often noise, so they follow every winner).
    /// </summary>
    public IReadOnlyList<TrialRecord> Elites(int count, double minEffect) => Winners
        .Concat(Measured.Where(t => t.ReusedFrom is null && t.Verdict!.Decision != SpeedupDecision.Faster && t.Verdict.Speedup > 1 + minEffect))
        .DistinctBy(t => t.BinaryHash ?? string.Join(' ', t.Flags)).Take(count).ToList();

    /// <summary>Screening trials that were measured, best speedup first.</summary>
    public IEnumerable<TrialRecord> Measured =>
        Trials.Where(t => t.Verdict is not null && t.Phase == TrialPhase.Screen).OrderByDescending(t => t.Verdict!.Speedup);

    /// <summary>Trials confidently faster than the baseline, each distinct program once (not the reuses of an identical binary).</summary>
    public IEnumerable<TrialRecord> Winners => Measured.Where(t => t.Verdict!.Decision == SpeedupDecision.Faster && t.ReusedFrom is null);
}
