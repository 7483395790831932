using System.Diagnostics;
using AutoPass.Core.Processes;

namespace AutoPass.Core.Measurement;

/// <summary>
/// Runs one benchmark executable and times it. Arguments go as a list, never through a shell.
/// </summary>
internal sealed class ProgramRunner(bool pinToCore, InstructionCounter? instructions = null) : IArmRunner
{
    /// <summary>Set when runs are counted in instructions under valgrind rather than timed.</summary>
    public InstructionCounter? Instructions { get; } = instructions;

    /// <summary>Name of the environment variable whose length pads the process's environment (layout sampling).</summary>
    public const string PaddingVariable = "AUTOPASS_ENV_PADDING";

    /// <summary>Most bytes of stdout read from one run; a run that prints more is stopped there and fails.</summary>
    public const long MaxStdoutBytes = 1L << 30;

    /// <summary>Bytes kept from the start and from the end of each output stream, for messages and parsing.</summary>
    public const int KeptOutputBytes = 64 * 1024;

    /// <param name="stdoutCopyPath">A file that receives every byte of stdout (for a verify command), when given.</param>
    public async Task<RunSample> RunAsync(string executable, IReadOnlyList<string> arguments, string workingDirectory, int paddingBytes, TimeSpan timeout, CancellationToken cancellationToken,
        string? stdoutCopyPath = null)
    {
        string program = Instructions?.Valgrind ?? executable;
        // Through setsid(1) where there is one: the program leads its own process group, so what it leaves running
        // (a child that keeps stdout open, say) is killed with it instead of holding up the session.
        string? launcher = ProcessGroup.Launcher;
        var info = new ProcessStartInfo(launcher ?? program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        if (launcher is not null) info.ArgumentList.Add(program);
        if (Instructions is not null)
            foreach (var a in InstructionCounter.Arguments(executable)) info.ArgumentList.Add(a);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment[PaddingVariable] = new string('x', paddingBytes);
        // What the program starts carries this run's mark, so what leaves its process group is killed with it too.
        var marker = new RunMarker();
        marker.AddTo(info);

        await using var stdoutCopy = stdoutCopyPath is null ? null : File.Create(stdoutCopyPath);
        using var process = new Process { StartInfo = info };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Callers never overlap timed runs: CPU accounting (RUSAGE_CHILDREN) and the machine's quiet depend on it.
        double cpuBefore = ChildCpuClock.ChildrenSeconds();
        var clock = Stopwatch.StartNew();
        process.Start();
        if (pinToCore) TryPin(process);
        process.StandardInput.Close();
        // Hashed as it streams, never held whole: a program may print gigabytes.
        var stdout = OutputReader.Start(process.StandardOutput.BaseStream, KeptOutputBytes, MaxStdoutBytes, stdoutCopy, onLimit: limit.Cancel);
        var stderr = OutputReader.Start(process.StandardError.BaseStream, KeptOutputBytes);
        limit.CancelAfter(timeout);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ProcessGroup.Kill(process, leadsGroup: launcher is not null, marker);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                await ProcessGroup.DrainAsync(stdout.Completion, stderr.Completion).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            timedOut = !stdout.Result().OverLimit;
        }
        clock.Stop();
        double cpu = ChildCpuClock.ChildrenSeconds() - cpuBefore;
        // Whatever it left running goes now, in its group or not; its output ends when the last process holding the pipes is gone.
        ProcessGroup.Kill(process, leadsGroup: launcher is not null, marker);
        bool drained = await ProcessGroup.DrainAsync(stdout.Completion, stderr.Completion).ConfigureAwait(false);
        var output = stdout.Result();
        int exitCode = process.ExitCode;
        // .NET reports a signal death on Unix as 128 + signal.
        int? signal = !timedOut && !output.OverLimit && OperatingSystem.IsLinux() && exitCode > 128 && exitCode < 160 ? exitCode - 128 : null;
        string error = stderr.Result().Text;
        long? counted = null;
        if (Instructions is not null) (counted, error) = InstructionCounter.Parse(error);
        return new RunSample(exitCode, output, error, clock.Elapsed.TotalSeconds, cpu, timedOut, signal, counted, OutputHeldOpen: !drained, StandardOutputFile: stdoutCopyPath);
    }

    /// <summary>Pin to the last core: the harness and the OS tend to use core 0.</summary>
    private static void TryPin(Process process)
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessorCount < 2) return;
        try
        {
            process.ProcessorAffinity = (nint)(1L << (Environment.ProcessorCount - 1));
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // The process may already have exited; affinity is a best effort.
        }
    }
}
