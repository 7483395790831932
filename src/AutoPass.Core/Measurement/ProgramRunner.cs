using System.Diagnostics;

namespace AutoPass.Core.Measurement;

/// <summary>
/// Runs one benchmark executable and times it. Arguments go as a list, never through a shell.
/// </summary>
internal sealed class ProgramRunner(bool pinToCore, InstructionCounter? instructions = null)
{
    /// <summary>Set when runs are counted in instructions under valgrind rather than timed.</summary>
    public InstructionCounter? Instructions { get; } = instructions;

    /// <summary>Name of the environment variable whose length pads the process's environment (layout sampling).</summary>
    public const string PaddingVariable = "AUTOPASS_ENV_PADDING";

    public async Task<RunSample> RunAsync(string executable, IReadOnlyList<string> arguments, string workingDirectory, int paddingBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Instructions?.Valgrind ?? executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        if (Instructions is not null)
            foreach (var a in InstructionCounter.Arguments(executable)) info.ArgumentList.Add(a);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment[PaddingVariable] = new string('x', paddingBytes);

        using var process = new Process { StartInfo = info };
        // Callers never overlap timed runs: CPU accounting (RUSAGE_CHILDREN) and the machine's quiet depend on it.
        double cpuBefore = ChildCpuClock.ChildrenSeconds();
        var clock = Stopwatch.StartNew();
        process.Start();
        if (pinToCore) TryPin(process);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = true;
        }
        clock.Stop();
        double cpu = ChildCpuClock.ChildrenSeconds() - cpuBefore;
        int exitCode = process.ExitCode;
        // .NET reports a signal death on Unix as 128 + signal.
        int? signal = !timedOut && OperatingSystem.IsLinux() && exitCode > 128 && exitCode < 160 ? exitCode - 128 : null;
        string error = await stderr.ConfigureAwait(false);
        long? counted = null;
        if (Instructions is not null) (counted, error) = InstructionCounter.Parse(error);
        return new RunSample(exitCode, await stdout.ConfigureAwait(false), error, clock.Elapsed.TotalSeconds, cpu, timedOut, signal, counted);
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
