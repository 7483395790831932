using System.Diagnostics;
using System.Text.Json;
using AutoPass.Build.Tests.Infrastructure;

namespace AutoPass.Build.Tests;

/// <summary>
/// Ctrl+C in the middle of a session: the program stops cleanly, pins nothing and keeps every finished trial
/// in the ledger; the same command then continues from the ledger instead of starting over.
/// </summary>
public sealed class InterruptAndResumeTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_interrupted_session_pins_nothing_and_the_next_run_resumes_from_the_ledger()
    {
        string source = _temp.CopyFrom(Repo.Fixture("sleeper"), "sleeper");
        string request = Requests.Write(_temp.Path, new
        {
            sourceDir = source,
            outputDir = _temp["pinned"],
            intermediateDir = _temp["obj"],
            benchmarks = new[] { Requests.Benchmark("sleeper") },
            settings = new { maxTrials = "30", maxMinutes = "3", agents = "builtin" },
        });
        string ledger = Path.Combine(_temp["obj"], "ledger.jsonl");

        // As MSBuild does on Ctrl+C: kill the whole process outright.
        var (killedOutput, killedCode) = await InterruptAsync(request, "-KILL");
        Assert.True(killedCode == 137, $"exit {killedCode}\n{killedOutput}");
        Assert.False(Directory.Exists(_temp["pinned"]) && Directory.EnumerateFiles(_temp["pinned"]).Any(), "a killed session pinned files:\n" + killedOutput);
        int afterKill = TrialLines(ledger);
        Assert.True(afterKill >= 2);

        // As a user does with the program on its own: Ctrl+C or SIGTERM, handled cleanly.
        var (stoppedOutput, stoppedCode) = await InterruptAsync(request, "-TERM");
        Assert.Equal(130, stoppedCode);
        Assert.Contains("resuming the interrupted session from its ledger", stoppedOutput);
        Assert.Contains("error AP1007: Cancelled; nothing was pinned", stoppedOutput);
        Assert.False(Directory.Exists(_temp["pinned"]) && Directory.EnumerateFiles(_temp["pinned"]).Any(), "an interrupted session pinned files");
        Assert.True(TrialLines(ledger) > afterKill, "the resumed session's finished trials were not kept");

        // The same request with a budget the finished trials already use up: it resumes and concludes at once.
        string finish = Requests.Write(Directory.CreateDirectory(_temp["finish"]).FullName, new
        {
            sourceDir = source,
            outputDir = _temp["pinned"],
            intermediateDir = _temp["obj"],
            benchmarks = new[] { Requests.Benchmark("sleeper") },
            settings = new { maxTrials = "1", agents = "builtin" },
        });
        var second = Command.AutoPass(_temp.Path, "tune", "--request", finish);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Matches(@"resuming the interrupted session from its ledger: \d+ finished trials kept", second.Output);
        Assert.DoesNotContain("calibration (baseline against itself)", second.Output);
        Assert.True(File.Exists(Path.Combine(_temp["pinned"], "autopass.lock.json")));
        // The continued session did not measure again what the interrupted one had finished.
        var screened = File.ReadLines(ledger).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "trial" && e.GetProperty("phase").GetString() == "screen")
            .Select(e => e.GetProperty("trial").GetInt32()).ToList();
        Assert.Equal(screened.Count, screened.Distinct().Count());
    }

    /// <summary>Starts a session, waits until it reports a finished screening trial, then sends the signal.</summary>
    private async Task<(string Output, int ExitCode)> InterruptAsync(string request, string signal)
    {
        var info = new ProcessStartInfo(Command.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _temp.Path };
        foreach (var a in new[] { "exec", Repo.CliPath, "tune", "--request", request }) info.ArgumentList.Add(a);
        info.Environment["OLLAMA_HOST"] = "http://127.0.0.1:9";
        using var session = Process.Start(info)!;
        _ = session.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (await session.StandardOutput.ReadLineAsync(limit.Token) is { } line)
        {
            output.AppendLine(line);
            if (line.StartsWith("AutoPass progress: trial ", StringComparison.Ordinal)) break;
        }
        Assert.False(session.HasExited, "the session ended before it could be interrupted:\n" + output);
        var killer = new ProcessStartInfo("/bin/kill") { RedirectStandardError = true, UseShellExecute = false };
        killer.ArgumentList.Add(signal);
        killer.ArgumentList.Add(session.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using (var kill = Process.Start(killer)!)
        {
            string error = await kill.StandardError.ReadToEndAsync();
            await kill.WaitForExitAsync();
            Assert.True(kill.ExitCode == 0, $"kill {signal} {session.Id} failed: {error}");
        }
        output.Append(await session.StandardOutput.ReadToEndAsync());
        await session.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (output.ToString(), session.ExitCode);
    }

    private static int TrialLines(string ledger)
    {
        if (!File.Exists(ledger)) return 0;
        using var stream = new FileStream(ledger, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n').Count(l => l.Contains("\"type\":\"trial\"", StringComparison.Ordinal));
    }
}
