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
    /// <summary>Tried before, or already in the batch being proposed (<see cref="Pending"/>, by <see cref="Candidate.Key"/>).</summary>
    public bool WasTried(IReadOnlyList<string> flags)
    {
        string key = string.Join(' ', flags);
        return Pending?.Contains(key) == true || Trials.Any(t => string.Join(' ', t.Flags) == key);
    }

    /// <summary>Screening trials that were measured, best speedup first.</summary>
    public IEnumerable<TrialRecord> Measured =>
        Trials.Where(t => t.Verdict is not null && t.Phase == TrialPhase.Screen).OrderByDescending(t => t.Verdict!.Speedup);

    /// <summary>Trials confidently faster than the baseline, each distinct program once (not the reuses of an identical binary).</summary>
    public IEnumerable<TrialRecord> Winners => Measured.Where(t => t.Verdict!.Decision == SpeedupDecision.Faster && t.ReusedFrom is null);
}
