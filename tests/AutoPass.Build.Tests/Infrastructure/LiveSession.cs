using System.Diagnostics;
using System.Text;

namespace AutoPass.Build.Tests.Infrastructure;

/// <summary>
/// A real <c>autopass tune</c> running in the background, for tests that act on a session while it runs:
/// start a second one, kill it, look at its child processes.
/// </summary>
public sealed class LiveSession : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _newLine = new(0);
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LiveSession(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output { get { lock (_gate) return _output.ToString(); } }

    public static LiveSession Start(string workingDirectory, string request, IDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(Command.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in new[] { "exec", Repo.CliPath, "tune", "--request", request }) info.ArgumentList.Add(a);
        info.Environment["OLLAMA_HOST"] = "http://127.0.0.1:9";
        if (environment is not null)
            foreach (var (k, v) in environment)
                if (v is null) info.Environment.Remove(k); else info.Environment[k] = v;
        return new LiveSession(Process.Start(info)!);
    }

    private void OnLine(string? line)
    {
        if (line is null) { _outputClosed.TrySetResult(); _newLine.Release(); return; }
        lock (_gate) _output.AppendLine(line);
        _newLine.Release();
    }

    /// <summary>Waits until the session prints a line containing <paramref name="text"/>; fails when it ends first.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(_outputClosed.Task.IsCompleted, $"the session ended before printing '{text}':\n{Output}");
            try { await _newLine.WaitAsync(timeout.Token); }
            catch (OperationCanceledException) { Assert.Fail($"the session did not print '{text}' within {limit}:\n{Output}"); }
        }
    }

    /// <summary>Sends a signal with /bin/kill (as MSBuild or a user would), e.g. "-KILL".</summary>
    public async Task SignalAsync(string signal)
    {
        var killer = new ProcessStartInfo("/bin/kill") { RedirectStandardError = true, UseShellExecute = false };
        killer.ArgumentList.Add(signal);
        killer.ArgumentList.Add(Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(killer)!;
        string error = await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
        Assert.True(kill.ExitCode == 0, $"kill {signal} {Id} failed: {error}");
    }

    /// <summary>Waits for the session to end and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        await _process.WaitForExitAsync().WaitAsync(limit);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
