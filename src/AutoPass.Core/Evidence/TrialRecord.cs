using AutoPass.Core.Check;
using AutoPass.Core.Measurement;
using AutoPass.Core.Racing;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Evidence;

/// <summary>What happened to one candidate, from build to verdict. One ledger line.</summary>
internal sealed record TrialRecord : LedgerLine
{
    public required int Trial { get; init; }

    public required TrialPhase Phase { get; init; }

    public required IReadOnlyList<string> Flags { get; init; }

    public required string Origin { get; init; }

    public string? Rationale { get; init; }

    public required BuildStatus BuildStatus { get; init; }

    public string? BuildMessage { get; init; }

    /// <summary>Hash of the produced executables; identical hash = identical binaries.</summary>
    public string? BinaryHash { get; init; }

    /// <summary>Trial number whose measurement this one reuses because its binaries are identical.</summary>
    public int? ReusedFrom { get; init; }

    /// <summary>
    /// The flags of the set this trial was measured head to head against, when that was not the baseline
    /// (minimizing: the set with the flag under test, so the flag is the one missing here).
    /// </summary>
    public IReadOnlyList<string>? ComparedWith { get; init; }

    /// <summary>Minimizing trials: whether the flag left out stayed in the set (<see cref="TrialOutcomes.RemovalCostsSpeed"/>); null in older ledgers.</summary>
    public bool? RemovedFlagKept { get; init; }

    /// <summary>The screening trial this fresh measurement confirms (confirmation trials only).</summary>
    public int? Confirms { get; init; }

    public required OutputCheckStatus OutputCheck { get; init; }

    public string? OutputCheckMessage { get; init; }

    public IReadOnlyList<BenchmarkMeasurement> Benchmarks { get; init; } = [];

    /// <summary>The combined verdict over all benchmarks (geometric mean), when measured.</summary>
    public SpeedupVerdict? Verdict { get; init; }

    public double ElapsedSeconds { get; init; }

    /// <summary>
    /// A confirmation whose effect moved and stayed unstable: its regimes in time order, the claimed one marked, and what
    /// the machine did between them (<see cref="Racing.RegimeAnalysis.Explain"/>). Null when the effect held still.
    /// </summary>
    public IReadOnlyList<ConfirmationRegime>? Regimes { get; init; }

    public string? RegimeNote { get; init; }

    /// <summary>Seconds the candidate's build took (configure and compile; zero for an up-to-date tree).</summary>
    public double? BuildSeconds { get; init; }

    /// <summary>The race (from 1) it was screened in, when screened with others against one baseline.</summary>
    public int? Race { get; init; }

    /// <summary>
    /// The race it left, when that was a later one than <see cref="Race"/>: it was among the last few undecided in its
    /// race and went on in the next, with its pairs (its record is written when it leaves).
    /// </summary>
    public int? LeftRace { get; init; }

    /// <summary>Why it left its race: decided, dropped by successive halving, outclassed by a speedup already shown, or unfinished when pairs or time ran out.</summary>
    public RaceExit? RaceExit { get; init; }

    /// <summary>What the candidate's flags changed in the compiler's optimization decisions against the baseline (when collected).</summary>
    public string? RemarkChanges { get; init; }
}
