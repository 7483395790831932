using AutoPass.Core.Processes;

namespace AutoPass.Core.Measurement;

/// <summary>One run of one benchmark executable.</summary>
/// <param name="StandardOutput">What it printed, as bytes: length, hash, head and tail.</param>
/// <param name="WallSeconds">Elapsed time from start to exit.</param>
/// <param name="CpuSeconds">User+system CPU time of the process, NaN when the OS does not tell.</param>
/// <param name="Signal">The signal that killed it, when it crashed (Linux); null otherwise.</param>
/// <param name="Instructions">Instructions executed, when counted under valgrind; null otherwise.</param>
/// <param name="OutputHeldOpen">It exited, but its output pipes stayed open (a process it started left its group).</param>
/// <param name="StandardOutputFile">The file that received every byte of stdout, when the run was asked for one.</param>
internal sealed record RunSample(int ExitCode, CapturedOutput StandardOutput, string StandardError, double WallSeconds, double CpuSeconds, bool TimedOut, int? Signal,
    long? Instructions = null, bool OutputHeldOpen = false, string? StandardOutputFile = null)
{
    public bool Crashed => Signal is not null;
    public bool Succeeded => !TimedOut && !Crashed && ExitCode == 0 && !StandardOutput.OverLimit && !OutputHeldOpen;

    /// <summary>This sample with a zero reading (a coarse clock) raised to 1 ns: times must be positive for ratios.</summary>
    public RunSample WithPositiveTime() => WallSeconds > 0 ? this : this with { WallSeconds = 1e-9 };

    /// <summary>A one-line description of a failed run, for errors and the ledger.</summary>
    public string FailureText =>
        TimedOut ? $"timed out after {WallSeconds:0.##} s" :
        StandardOutput.OverLimit ? $"printed more than {ProgramRunner.MaxStdoutBytes >> 30} GiB to stdout and was stopped there" :
        OutputHeldOpen ? "exited, but a process it started still held its output open" :
        Crashed ? $"crashed with signal {Signal}" + StderrTail :
        $"exited with code {ExitCode}" + StderrTail;

    private string StderrTail =>
        string.IsNullOrWhiteSpace(StandardError) ? "" : ": " + StandardError.Trim().Split('\n')[^1];
}
