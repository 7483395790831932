using AutoPass.Core.Statistics;

namespace AutoPass.Core.Measurement;

/// <summary>Every timing sample of one benchmark in one trial, so any verdict can be recomputed.</summary>
internal sealed record BenchmarkMeasurement
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
    public PairedSamples ObjectiveSamples() =>
        BaselineInstructions.Count > 0
            ? new PairedSamples(BaselineInstructions.Select(i => (double)i).ToList(), CandidateInstructions.Select(i => (double)i).ToList())
            : new PairedSamples(BaselineSeconds, CandidateSeconds);

    /// <summary>Per pair: true when the candidate ran first.</summary>
    public IReadOnlyList<bool> CandidateFirst { get; init; } = [];

    /// <summary>Per pair: bytes of environment padding both runs had.</summary>
    public IReadOnlyList<int> Padding { get; init; } = [];

    /// <summary>Per pair: the machine's one-minute load average when it ran (empty where the OS does not give it, and in older ledgers).</summary>
    public IReadOnlyList<double> LoadAverage { get; init; } = [];

    public SpeedupVerdict? Verdict { get; init; }
}
