using System.Diagnostics;

namespace AutoPass.Core.Processes;

/// <summary>The outcome of running a tool (cmake, a compiler) to completion.</summary>
internal sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>The tool was sent SIGINT before it finished (RunAsync's interruptAfter).</summary>
    public bool Interrupted { get; init; }
    public string CombinedOutput => StandardOutput + StandardError;
}

/// <summary>
/// Runs untimed helper tools. Arguments are passed as a list, never through a shell,
/// so nothing in a flag or path is ever interpreted.
/// </summary>
internal static class ExternalTool
{
    /// <summary>Bytes kept from the start and from the end of each of a tool's output streams (a build log's errors are at its end).</summary>
    public const int KeptOutputBytes = 4 * 1024 * 1024;

    /// <param name="standardInput">Fed to the tool while its output is read (read from its current position), when given.</param>
    /// <param name="interruptAfter">Sends the tool SIGINT after this long, and goes on waiting for it to finish (up to <paramref name="timeout"/>):
    /// for a tool that writes what it has when interrupted (callgrind its profile so far).</param>
    public static async Task<ToolResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default,
        Stream? standardInput = null,
        TimeSpan? interruptAfter = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment) info.Environment[k] = v;
        // Tools' messages are parsed in places; keep them in English.
        info.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new ToolResult(-1, "", $"'{fileName}' could not be started: not found or not executable.", false);
        }
        // The readers start before any input is written: a tool that echoes its input (cat) fills its stdout pipe
        // and stops reading until someone empties it.
        var stdout = OutputReader.Start(process.StandardOutput.BaseStream, KeptOutputBytes);
        var stderr = OutputReader.Start(process.StandardError.BaseStream, KeptOutputBytes);
        var feed = Task.Run(() => FeedAsync(process.StandardInput, standardInput));
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t) timeoutSource.CancelAfter(t);
        using var interruption = new CancellationTokenSource();
        bool interrupted = false;
        if (interruptAfter is { } after)
        {
            interruption.Token.Register(() => interrupted = !process.HasExited && ProcessGroup.Interrupt(process.Id));
            interruption.CancelAfter(after);
        }
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ProcessGroup.Kill(process, leadsGroup: false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            timedOut = true;
        }
        // A process the tool left behind may hold its pipes open: wait for them only a little.
        await ProcessGroup.DrainAsync(stdout.Completion, stderr.Completion, feed).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return new ToolResult(process.ExitCode, stdout.Result().Text, stderr.Result().Text, timedOut) { Interrupted = interrupted };
    }

    private static async Task FeedAsync(StreamWriter stdin, Stream? input)
    {
        try
        {
            if (input is not null) await input.CopyToAsync(stdin.BaseStream).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The tool exited (or closed its input) without reading all of it, or the run gave up on it.
        }
        finally
        {
            try { stdin.Close(); } catch (Exception e) when (e is IOException or ObjectDisposedException) { }
        }
    }

    /// <summary>Full path of an executable found on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        if (Path.IsPathRooted(name)) return File.Exists(name) ? name : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
