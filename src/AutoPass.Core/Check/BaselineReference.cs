using AutoPass.Core.Build;
using AutoPass.Core.Processes;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Check;

/// <summary>The baseline every candidate is checked and timed against: its build and each benchmark's reference output.</summary>
/// <param name="ReferenceOutputs">Benchmark display name to the baseline's stdout (its bytes' length and hash).</param>
/// <param name="ReferenceSeconds">Benchmark display name to the baseline's first run time.</param>
/// <param name="Fingerprint">Hash of the baseline's executables.</param>
/// <param name="ReferenceFiles">Benchmark display name to the output files it declares, as the baseline wrote them (length and hash).</param>
internal sealed record BaselineReference(
    BuildOutcome Build,
    IReadOnlyDictionary<string, CapturedOutput> ReferenceOutputs,
    IReadOnlyDictionary<string, double> ReferenceSeconds,
    string Fingerprint,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, OutputFileDigest>>? ReferenceFiles = null)
{
    /// <summary>A candidate run taking this long is a hang: a multiple of the baseline's time, or the benchmark's own limit.</summary>
    public TimeSpan CandidateTimeout(BenchmarkSpec benchmark) =>
        benchmark.TimeoutSeconds is { } limit
            ? TimeSpan.FromSeconds(limit)
            : TimeSpan.FromSeconds(Math.Max(5 * ReferenceSeconds[benchmark.DisplayName] + 2, 5));
}
