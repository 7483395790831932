using System.Text.Json;
using AutoPass.Build.Tests.Infrastructure;

namespace AutoPass.Build.Tests;

/// <summary>
/// An A/A test on real programs: benchmarks whose time is spent sleeping cannot get faster with compiler
/// flags, so whatever the session measures is noise, and it must pin nothing.
/// </summary>
public sealed class AATests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Tuning_programs_that_only_sleep_pins_nothing_and_claims_no_speedup()
    {
        string source = _temp.CopyFrom(Repo.Fixture("sleeper"), "sleeper");
        string request = Requests.Write(_temp.Path, new
        {
            sourceDir = source,
            outputDir = _temp["pinned"],
            intermediateDir = _temp["obj"],
            benchmarks = new[] { Requests.Benchmark("sleeper"), Requests.Benchmark("sleeper2") },
            settings = new { maxTrials = "4", agents = "builtin" },
        });

        // Its own temp directory, to see that the compiler probes leave nothing behind.
        var environment = new Dictionary<string, string?> { ["TMPDIR"] = Directory.CreateDirectory(_temp["tmp"]).FullName };
        var result = Command.AutoPass(_temp.Path, environment, "tune", "--request", request);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp["pinned"], "autopass.lock.json")));
        Assert.Equal("baseline", lockFile.RootElement.GetProperty("outcome").GetString());
        Assert.Empty(lockFile.RootElement.GetProperty("flags").EnumerateArray());
        Assert.False(lockFile.RootElement.TryGetProperty("speedup", out _));
        Assert.Contains("winning flags:  none", result.Output);
        Assert.Contains("speedup:        1.000x", result.Output);

        // Its decisions can be re-run from the ledger alone, and come out the same.
        var replay = Command.AutoPass(_temp.Path, environment, "replay", "--request", request);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        var counts = System.Text.RegularExpressions.Regex.Match(replay.Output, @"replayed (\d+) decisions from .*: (\d+) matched");
        Assert.True(counts.Success, replay.Output);
        Assert.True(int.Parse(counts.Groups[1].Value) >= 4);
        Assert.Equal(counts.Groups[1].Value, counts.Groups[2].Value);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp["tmp"], "autopass-probe-*"));

        // `autopass report` draws the session's report again from the ledger and the lock file: the same page.
        string reportPath = Path.Combine(_temp["obj"], "report.html");
        string drawnBySession = File.ReadAllText(reportPath);
        File.Delete(reportPath);
        var report = Command.AutoPass(_temp.Path, environment, "report", "--request", request);
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Contains("report: " + reportPath, report.Output);
        Assert.Equal(drawnBySession, File.ReadAllText(reportPath));
        Assert.Contains("Pinned: the baseline", drawnBySession);
    }
}
