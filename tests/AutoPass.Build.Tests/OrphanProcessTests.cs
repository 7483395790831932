using System.Globalization;
using AutoPass.Build.Tests.Infrastructure;

namespace AutoPass.Build.Tests;

/// <summary>
/// kill -9 of the engine in the middle of a benchmark run or a compile: its benchmark and compiler processes (and
/// cmake, make, ...) go with it instead of running on as orphans. Linux: the processes are found through /proc.
/// </summary>
public sealed class OrphanProcessTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose()
    {
        // Whatever the outcome, leave nothing running.
        foreach (int pid in ProcessesUnder(_temp.Path)) TryKill(pid);
        _temp.Dispose();
    }

    private string Request(string fixture, object benchmark, string? cCompiler = null, string maxTrials = "1")
    {
        string source = _temp.CopyFrom(Repo.Fixture(fixture), fixture);
        var request = new Dictionary<string, object>
        {
            ["sourceDir"] = source,
            ["outputDir"] = _temp["pinned"],
            ["intermediateDir"] = _temp["obj"],
            ["benchmarks"] = new[] { benchmark },
        };
        var settings = new Dictionary<string, string> { ["maxTrials"] = maxTrials, ["agents"] = "builtin" };
        if (cCompiler is not null) settings["cCompiler"] = cCompiler;
        request["settings"] = settings;
        return Requests.Write(_temp.Path, request);
    }

    [Fact]
    public async Task Killing_the_engine_during_a_benchmark_run_kills_the_benchmark()
    {
        // The baseline's first run of a program that never ends, with a time limit far beyond the test.
        using var session = LiveSession.Start(_temp.Path, Request("faulty", Requests.Benchmark("hanger", timeout: "3600")));
        await WaitForAsync(() => ProcessesUnder(_temp.Path).Any(pid => ExeName(pid) == "hanger"), "the hanger benchmark to start", session);

        await session.SignalAsync("-KILL");
        await session.WaitForExitAsync(TimeSpan.FromMinutes(1));

        await AssertAllGoneAsync();
    }

    [Fact]
    public async Task Killing_the_engine_during_a_compile_kills_the_compiler_and_the_build_tools()
    {
        // A compiler that hangs on the fixture's source (as a pathological flag can make one): gcc, with its cc1 run
        // through a wrapper that sleeps instead of compiling sleeper.c.
        string gcc = Path.Combine("/usr/bin", "gcc");
        string cc1Wrapper = Path.Combine(_temp.Path, "cc1-hanging");
        File.WriteAllText(cc1Wrapper, "#!/bin/sh\ncase \"$*\" in *sleeper.c*) exec sleep 3600 ;; esac\nexec \"$@\"\n");
        string driver = Path.Combine(_temp.Path, "gcc-hanging");
        File.WriteAllText(driver, $"#!/bin/sh\nexec '{gcc}' -wrapper '{cc1Wrapper}' \"$@\"\n");
        foreach (var script in new[] { cc1Wrapper, driver })
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        using var session = LiveSession.Start(_temp.Path, Request("sleeper", Requests.Benchmark("sleeper"), cCompiler: driver));
        await WaitForAsync(() => ProcessesUnder(_temp.Path).Any(pid => ExeName(pid) == "sleep"), "the compile of sleeper.c to hang", session);

        await session.SignalAsync("-KILL");
        await session.WaitForExitAsync(TimeSpan.FromMinutes(1));

        await AssertAllGoneAsync();
    }

    [Fact]
    public async Task Killing_the_process_that_started_the_engine_stops_it_as_on_Ctrl_C_and_nothing_is_pinned()
    {
        // Enough trials to run for many minutes: the engine ends soon only if it notices its parent is gone.
        string request = Request("sleeper", Requests.Benchmark("sleeper"), maxTrials: "200");
        string log = _temp["engine.log"];
        // The parent, as the MSBuild task's node is: a shell that passes its own pid and waits for the engine.
        var info = new System.Diagnostics.ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = _temp.Path };
        foreach (var a in new[] { "-c", "\"$0\" exec \"$1\" tune --request \"$2\" --parent-pid $$ >\"$3\" 2>&1; echo parent-done",
                     Command.DotnetHost, Repo.CliPath, request, log }) info.ArgumentList.Add(a);
        info.Environment["OLLAMA_HOST"] = "http://127.0.0.1:9";
        using var parent = System.Diagnostics.Process.Start(info)!;
        for (int i = 0; i < 600 && !(File.Exists(log) && File.ReadAllText(log).Contains("calibration", StringComparison.Ordinal)); i++)
        {
            Assert.False(parent.HasExited, "the session ended early:\n" + (File.Exists(log) ? File.ReadAllText(log) : ""));
            await Task.Delay(200);
        }
        int engine = ProcessesUnder(_temp.Path).Single(pid => pid != parent.Id && Describe(pid).Contains(" tune --request ", StringComparison.Ordinal));

        parent.Kill(); // SIGKILL: the shell gets no chance to pass anything on
        await parent.WaitForExitAsync();

        // Without the watch the engine tunes on for minutes; the wait is only an upper bound.
        for (int i = 0; i < 150 && Directory.Exists($"/proc/{engine}"); i++) await Task.Delay(200);
        string output = File.ReadAllText(log);
        Assert.False(Directory.Exists($"/proc/{engine}"), "the engine runs on after its parent was killed:\n" + output);
        Assert.Contains("has ended; stopping as on Ctrl+C", output);
        Assert.Contains("error AP1007: Cancelled; nothing was pinned", output);
        Assert.False(Directory.Exists(_temp["pinned"]) && Directory.EnumerateFiles(_temp["pinned"]).Any(), "the orphaned engine pinned files");
        Assert.True(File.Exists(Path.Combine(_temp["obj"], "ledger.jsonl")), "the ledger was not kept");
        await AssertAllGoneAsync();
    }

    /// <summary>Every process working in the test's directory (benchmarks, cmake, make, compilers) ends soon after the engine.</summary>
    private async Task AssertAllGoneAsync()
    {
        // Without the fix these run until their own end (never, here), so the wait is only an upper bound.
        for (int i = 0; i < 100 && ProcessesUnder(_temp.Path).Count > 0; i++) await Task.Delay(200);
        var left = ProcessesUnder(_temp.Path);
        Assert.True(left.Count == 0, "still running after the engine was killed:\n" + string.Join('\n', left.Select(Describe)));
    }

    private static async Task WaitForAsync(Func<bool> condition, string what, LiveSession session)
    {
        for (int i = 0; i < 600 && !condition(); i++)
        {
            Assert.False(session.HasExited, $"the session ended before {what}:\n{session.Output}");
            await Task.Delay(200);
        }
        Assert.True(condition(), $"waited 2 minutes for {what}:\n{session.Output}");
    }

    /// <summary>Processes whose executable or working directory lies under <paramref name="directory"/>.</summary>
    private static List<int> ProcessesUnder(string directory)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == Environment.ProcessId) continue;
            if (new[] { "exe", "cwd" }.Select(link => Target(Path.Combine(entry, link))).Any(t => t is not null && t.StartsWith(directory + "/", StringComparison.Ordinal) || t == directory))
                found.Add(pid);
        }
        return found;
    }

    private static string? Target(string link)
    {
        try { return new FileInfo(link).LinkTarget; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static string ExeName(int pid) => Path.GetFileName(Target($"/proc/{pid}/exe") ?? "");

    private static string Describe(int pid)
    {
        try { return $"{pid}: {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ')}"; }
        catch (IOException) { return $"{pid}: (gone)"; }
    }

    private static void TryKill(int pid)
    {
        try { System.Diagnostics.Process.GetProcessById(pid).Kill(); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }
}
