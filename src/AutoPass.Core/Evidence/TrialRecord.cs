using AutoPass.Core.Statistics;

namespace AutoPass.Core.Evidence;

/// <summary>What happened to one candidate, from build to verdict. One ledger line.</summary>
public sealed record TrialRecord
{
    public required int Trial { get; init; }

    /// <summary>"calibration" (baseline against itself), "screen", or "confirm".</summary>
    public required string Phase { get; init; }

    public required IReadOnlyList<string> Flags { get; init; }

    public required string Origin { get; init; }

    public string? Rationale { get; init; }

    /// <summary>"ok", "failed", "rejected" (policy or compiler), or "reused" (identical binaries measured before).</summary>
    public required string BuildStatus { get; init; }

    public string? BuildMessage { get; init; }

    /// <summary>Hash of the produced executables; identical hash = identical binaries.</summary>
    public string? BinaryHash { get; init; }

    /// <summary>Trial number whose measurement this one reuses because its binaries are identical.</summary>
    public int? ReusedFrom { get; init; }

    /// <summary>"equal", "differs", "crashed", "failed", "timeout", or "not-run".</summary>
    public required string OutputCheck { get; init; }

    public string? OutputCheckMessage { get; init; }

    public IReadOnlyList<BenchmarkMeasurement> Benchmarks { get; init; } = [];

    /// <summary>The combined verdict over all benchmarks (geometric mean), when measured.</summary>
    public SpeedupVerdict? Verdict { get; init; }

    public double ElapsedSeconds { get; init; }

    /// <summary>What the candidate's flags changed in the compiler's optimization decisions against the baseline (when collected).</summary>
    public string? RemarkChanges { get; init; }
}

/// <summary>Every timing sample of one benchmark in one trial, so any verdict can be recomputed.</summary>
public sealed record BenchmarkMeasurement
{
    public required string Benchmark { get; init; }

    /// <summary>Wall seconds of the baseline runs, paired by index with <see cref="CandidateSeconds"/>.</summary>
    public required IReadOnlyList<double> BaselineSeconds { get; init; }

    public required IReadOnlyList<double> CandidateSeconds { get; init; }

    /// <summary>User+system CPU seconds, same pairing.</summary>
    public IReadOnlyList<double> BaselineCpuSeconds { get; init; } = [];

    public IReadOnlyList<double> CandidateCpuSeconds { get; init; } = [];

    /// <summary>Instructions executed, same pairing, when the objective is instruction counts (a proxy for time).</summary>
    public IReadOnlyList<long> BaselineInstructions { get; init; } = [];

    public IReadOnlyList<long> CandidateInstructions { get; init; } = [];

    /// <summary>The samples the verdict is computed from: instruction counts when there are any, else wall seconds.</summary>
    public Statistics.PairedSamples ObjectiveSamples() =>
        BaselineInstructions.Count > 0
            ? new Statistics.PairedSamples(BaselineInstructions.Select(i => (double)i).ToList(), CandidateInstructions.Select(i => (double)i).ToList())
            : new Statistics.PairedSamples(BaselineSeconds, CandidateSeconds);

    /// <summary>Per pair: true when the candidate ran first.</summary>
    public IReadOnlyList<bool> CandidateFirst { get; init; } = [];

    /// <summary>Per pair: bytes of environment padding both runs had.</summary>
    public IReadOnlyList<int> Padding { get; init; } = [];

    public SpeedupVerdict? Verdict { get; init; }
}
