using AutoPass.Core.Processes;

namespace AutoPass.Core.Compilers.Profiling;

/// <summary>
/// Finds where a program spends its instructions without hardware counters (VMs, CI): runs it under
/// <c>valgrind --tool=callgrind</c> and reads the output. Instruction counts, not time, but stable and good enough
/// to say which functions the remarks should be read for.
/// </summary>
internal static class HotFunctionProfiler
{
    /// <param name="top">How many functions to return, hottest first.</param>
    public static async Task<IReadOnlyList<HotFunction>> ProfileAsync(
        string executable, IReadOnlyList<string> arguments, int top = 10, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        string valgrind = ExternalTool.FindOnPath("valgrind")
            ?? throw new InvalidOperationException("valgrind is not installed; hot functions need it (apt-get install valgrind).");
        string output = Path.Combine(Path.GetTempPath(), $"autopass-callgrind-{Guid.NewGuid():N}.out");
        try
        {
            var result = await ExternalTool.RunAsync(valgrind,
                ["--tool=callgrind", $"--callgrind-out-file={output}", "--quiet", Path.GetFullPath(executable), .. arguments],
                timeout: timeout ?? TimeSpan.FromMinutes(10), cancellationToken: ct);
            if (!File.Exists(output))
                throw new InvalidOperationException($"callgrind wrote no profile (exit {result.ExitCode}): {result.StandardError.Trim()}");
            return CallgrindOutput.Parse(await File.ReadAllTextAsync(output, ct)).Take(top).ToList();
        }
        finally
        {
            File.Delete(output);
        }
    }
}
