using AutoPass.Core.Measurement;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Check;

/// <summary>
/// A run whose output is checked against the baseline's: before it, the declared output files are removed and a
/// stdout copy is chosen (for a verify command); after it, <see cref="OutputCheck.CompareAsync"/>. Used by the
/// output check of a candidate timed on its own and by a race's first round, where an entrant's first runs are both.
/// </summary>
internal sealed class CheckRun(BaselineReference baseline, string workingDirectory, string intermediateDir)
{
    /// <summary>Readies the working directory for the benchmark's check run; returns where its stdout is copied, or null.</summary>
    public string? Prepare(BenchmarkSpec benchmark)
    {
        OutputCheck.ClearOutputFiles(benchmark, workingDirectory);
        return OutputCheck.StdoutCopyPath(benchmark, intermediateDir);
    }

    /// <summary>Null when the run computed what the baseline did; else why not. Call right after the run, before another overwrites its files.</summary>
    public async Task<(OutputCheckStatus Status, string Message)?> CompareAsync(BenchmarkSpec benchmark, RunSample run, CancellationToken ct)
    {
        if (!run.Succeeded) return (Classify(run), $"{benchmark.DisplayName} {run.FailureText}");
        return await OutputCheck.CompareAsync(benchmark, run, workingDirectory, baseline, ct);
    }

    /// <summary>The race's check of a run that succeeded: every mismatch <see cref="OutputCheck.CompareAsync"/> finds is <see cref="OutputCheckStatus.Differs"/>.</summary>
    public async Task<string?> DiffersAsync(BenchmarkSpec benchmark, RunSample run, CancellationToken ct) =>
        (await OutputCheck.CompareAsync(benchmark, run, workingDirectory, baseline, ct))?.Message;

    public static OutputCheckStatus Classify(RunSample run) => run.TimedOut ? OutputCheckStatus.Timeout : run.Crashed ? OutputCheckStatus.Crashed : OutputCheckStatus.Failed;
}
