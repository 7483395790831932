namespace AutoPass.Core.Measurement;

/// <summary>One run of one benchmark executable.</summary>
/// <param name="WallSeconds">Elapsed time from start to exit.</param>
/// <param name="CpuSeconds">User+system CPU time of the process, NaN when the OS does not tell.</param>
/// <param name="Signal">The signal that killed it, when it crashed (Linux); null otherwise.</param>
/// <param name="Instructions">Instructions executed, when counted under valgrind; null otherwise.</param>
internal sealed record RunSample(int ExitCode, string StandardOutput, string StandardError, double WallSeconds, double CpuSeconds, bool TimedOut, int? Signal, long? Instructions = null)
{
    public bool Crashed => Signal is not null;
    public bool Succeeded => !TimedOut && !Crashed && ExitCode == 0;

    /// <summary>A one-line description of a failed run, for errors and the ledger.</summary>
    public string FailureText =>
        TimedOut ? $"timed out after {WallSeconds:0.##} s" :
        Crashed ? $"crashed with signal {Signal}" + StderrTail :
        $"exited with code {ExitCode}" + StderrTail;

    private string StderrTail =>
        string.IsNullOrWhiteSpace(StandardError) ? "" : ": " + StandardError.Trim().Split('\n')[^1];
}
