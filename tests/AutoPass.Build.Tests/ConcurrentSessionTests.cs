using System.Text.Json;
using AutoPass.Build.Tests.Infrastructure;

namespace AutoPass.Build.Tests;

/// <summary>
/// One session per project at a time: a second <c>autopass tune</c> on the same project fails at once, naming the
/// first, and leaves it alone; a killed session leaves no lock behind.
/// </summary>
public sealed class ConcurrentSessionTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string WriteRequest(string directory, string maxTrials, string intermediate = "obj")
    {
        string source = Directory.Exists(_temp["sleeper"]) ? _temp["sleeper"] : _temp.CopyFrom(Repo.Fixture("sleeper"), "sleeper");
        return Requests.Write(Directory.CreateDirectory(directory).FullName, new
        {
            sourceDir = source,
            outputDir = _temp["pinned"],
            intermediateDir = _temp[intermediate],
            benchmarks = new[] { Requests.Benchmark("sleeper") },
            settings = new { maxTrials, agents = "builtin" },
        });
    }

    [Fact]
    public async Task A_second_session_on_the_same_project_fails_at_once_naming_the_first_which_finishes()
    {
        string request = WriteRequest(_temp["first"], maxTrials: "3");
        using var first = LiveSession.Start(_temp.Path, request);
        await first.WaitForLineAsync("building the baseline", TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(5));

        var second = Command.AutoPass(_temp.Path, "tune", "--request", WriteRequest(_temp["second"], maxTrials: "3"));

        Assert.False(first.HasExited, "the first session ended before the second started; the test proves nothing:\n" + first.Output);
        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains("autopass : error AP1030: Another AutoPass session is tuning this project", second.Output);
        Assert.Contains($"pid {first.Id}", second.Output);
        Assert.Matches(@"started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", second.Output);
        Assert.Contains("Wait for it to finish, or stop it", second.Output);
        Assert.DoesNotContain("building the baseline", second.Output);

        int firstExit = await first.WaitForExitAsync(TimeSpan.FromMinutes(8));
        Assert.True(firstExit == 0, $"exit {firstExit}\n{first.Output}");
        Assert.True(File.Exists(Path.Combine(_temp["pinned"], "autopass.lock.json")));
        // The second session wrote nothing to the first's ledger: one session header, no resume.
        var types = File.ReadLines(Path.Combine(_temp["obj"], "ledger.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()).ToList();
        Assert.Equal(1, types.Count(t => t == "session"));
        Assert.DoesNotContain("resuming the interrupted session", first.Output);
    }

    [Fact]
    public async Task A_second_session_on_the_same_sources_with_another_intermediate_dir_fails_at_once()
    {
        using var first = LiveSession.Start(_temp.Path, WriteRequest(_temp["first"], maxTrials: "30", intermediate: "obj-first"));
        await first.WaitForLineAsync("building the baseline", TimeSpan.FromMinutes(2));

        // Its own obj dir, the same sources and pinned dir: it would time beside the first and race its pinned renames.
        var second = Command.AutoPass(_temp.Path, "tune", "--request", WriteRequest(_temp["second"], maxTrials: "1", intermediate: "obj-second"));

        Assert.False(first.HasExited, "the first session ended before the second started; the test proves nothing:\n" + first.Output);
        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains("autopass : error AP1030: Another AutoPass session is tuning this project (the same source directory", second.Output);
        Assert.Contains($"pid {first.Id}", second.Output);
        Assert.DoesNotContain("building the baseline", second.Output);
        Assert.False(File.Exists(Path.Combine(_temp["obj-second"], "ledger.jsonl")), "the second session started a ledger");
        await first.SignalAsync("-INT");
        await first.WaitForExitAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_session_killed_with_SIGKILL_does_not_block_the_next()
    {
        string request = WriteRequest(_temp["first"], maxTrials: "30");
        using (var killed = LiveSession.Start(_temp.Path, request))
        {
            await killed.WaitForLineAsync("AutoPass: baseline sleeper:", TimeSpan.FromMinutes(2));
            await killed.SignalAsync("-KILL");
            Assert.Equal(137, await killed.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        }
        Assert.True(File.Exists(Path.Combine(_temp["obj"], "session.lock")));

        var next = Command.AutoPass(_temp.Path, "tune", "--request", WriteRequest(_temp["next"], maxTrials: "1"));

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.DoesNotContain("AP1030", next.Output);
    }
}
