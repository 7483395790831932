using AutoPass.Core.Check;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Evidence;

/// <summary>What became of a trial, in one word.</summary>
internal enum TrialOutcome
{
    /// <summary>The gate or the compiler refused a flag.</summary>
    Rejected,

    BuildFailed,

    /// <summary>It built, but crashed, failed, hung or computed something else.</summary>
    WrongOutput,

    /// <summary>Its binaries equal the baseline's: the flags changed nothing.</summary>
    SameAsBaseline,

    /// <summary>Its binaries equal another measured candidate's; that verdict stands for it.</summary>
    Reused,

    /// <summary>Timed against its reference, with a verdict.</summary>
    Measured,
}

/// <summary>
/// The one place that reads a trial's build status, output check and verdict together: what its outcome is,
/// whether it used up the budget, and whether it may win.
/// </summary>
internal static class TrialOutcomes
{
    public static TrialOutcome Outcome(this TrialRecord trial) => trial switch
    {
        { BuildStatus: BuildStatus.Rejected } => TrialOutcome.Rejected,
        { BuildStatus: BuildStatus.Failed } => TrialOutcome.BuildFailed,
        { OutputCheck: not (OutputCheckStatus.Equal or OutputCheckStatus.NotRun) } => TrialOutcome.WrongOutput,
        { BuildStatus: BuildStatus.Reused, ReusedFrom: 0 } => TrialOutcome.SameAsBaseline,
        { BuildStatus: BuildStatus.Reused } => TrialOutcome.Reused,
        _ => TrialOutcome.Measured,
    };

    /// <summary>
    /// The trial budget counts builds that were measured or failed; a build identical to one measured before
    /// costs seconds, not a measurement, and a rejected flag costs nothing.
    /// </summary>
    public static bool CountsAgainstBudget(this TrialRecord trial) => trial.BuildStatus is BuildStatus.Ok or BuildStatus.Failed;

    /// <summary>Rejected, failed to build, or computed the wrong thing: the flags are broken for this program.</summary>
    public static bool IsBroken(this TrialRecord trial) => trial.Outcome() is TrialOutcome.Rejected or TrialOutcome.BuildFailed or TrialOutcome.WrongOutput;

    /// <summary>The no-regression rule: a candidate that slows any benchmark down never wins, whatever the mean says.</summary>
    public static bool SlowsNoBenchmark(this TrialRecord trial) =>
        trial.Benchmarks.All(b => b.Verdict?.Decision != SpeedupDecision.Slower);

    /// <summary>
    /// Minimizing's rule, read off the trial of a set without one flag (head to head against the set with it): the flag
    /// stays when the set without it is confidently slower by any amount (its interval lies under 1), or broken. Only
    /// a claim against the baseline needs the minimum effect; a flag worth a confident 0.5% is part of the gain.
    /// </summary>
    public static bool RemovalCostsSpeed(this TrialRecord withoutFlag) =>
        withoutFlag.Verdict is { High: < 1 } || withoutFlag.IsBroken();

    /// <summary>
    /// Whether minimizing kept the flag this trial left out: as the trial records it, or for ledgers from before the
    /// record (<see cref="TrialRecord.RemovedFlagKept"/>), by the rule of then: kept only when the set without it was
    /// slower by at least the minimum effect, or broken.
    /// </summary>
    public static bool ShowsRemovedFlagNeeded(this TrialRecord withoutFlag) =>
        withoutFlag.RemovedFlagKept ?? (withoutFlag.Verdict is { Decision: SpeedupDecision.Slower } || withoutFlag.IsBroken());

    /// <summary>The flag (or flags, space-separated) a minimizing trial left out of the set it was compared with; null when the ledger does not say.</summary>
    public static string? RemovedFlag(this TrialRecord withoutFlag) =>
        withoutFlag.RemovedFlags() is { Count: > 0 } removed ? string.Join(' ', removed) : null;

    /// <summary>The flags a minimizing trial left out of the set it was compared with; none when the ledger does not say.</summary>
    public static IReadOnlyList<string> RemovedFlags(this TrialRecord withoutFlag) =>
        withoutFlag.ComparedWith?.Except(withoutFlag.Flags, StringComparer.Ordinal).ToList() ?? [];

    /// <summary>One line for progress output and the report.</summary>
    public static string Describe(this TrialRecord trial) => trial.Outcome() switch
    {
        TrialOutcome.Rejected => "rejected, " + trial.BuildMessage,
        TrialOutcome.BuildFailed => "build failed",
        TrialOutcome.WrongOutput => $"output check {Ledger.EnumText(trial.OutputCheck)}: {trial.OutputCheckMessage}",
        TrialOutcome.SameAsBaseline => "same binaries as the baseline",
        TrialOutcome.Reused when trial.ReusedFrom is null => "same binaries as the set it is compared with",
        TrialOutcome.Reused => $"same binaries as trial {trial.ReusedFrom}: {trial.Verdict}",
        _ => trial.Verdict?.ToString() ?? "not measured",
    };
}
