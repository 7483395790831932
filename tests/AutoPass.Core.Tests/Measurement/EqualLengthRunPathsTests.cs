using AutoPass.Core.Measurement;
using AutoPass.Core.Processes;
using AutoPass.Core.Statistics;
using AutoPass.Core.Tests.Compilers;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Measurement;

/// <summary>
/// Both arms of a pair run through paths of the same length, so the executable's path does not shift one
/// arm's stack against the other's; programs that need their real path still run.
/// </summary>
[Trait("Category", "Real")]
public sealed class EqualLengthRunPathsTests : IDisposable
{
    private readonly string _dir = InstalledCompilers.ScratchDirectory("runpaths");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A shell script that logs the path it was started through, and optionally needs a file beside that path.</summary>
    private async Task<string> ScriptAsync(string folder, string log, bool needsFileBesideItself)
    {
        string path = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, folder)).FullName, "bench");
        string check = needsFileBesideItself ? "[ -f \"$(dirname \"$0\")/data.txt\" ] || exit 3\n" : "";
        await File.WriteAllTextAsync(path, $"#!/bin/sh\n{check}echo \"$0\" >> '{log}'\necho checksum 1\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (needsFileBesideItself) await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(path)!, "data.txt"), "x");
        // Another test's process start can briefly hold the new file open for writing (ETXTBSY): wait until it runs.
        for (int attempt = 0; attempt < 50 && !(await ExternalTool.RunAsync(path, [])).Succeeded; attempt++) await Task.Delay(100);
        File.Delete(log);
        return path;
    }

    private async Task<IReadOnlyList<string>> MeasureAndReadLogAsync(string baseline, string candidate, string log)
    {
        var pair = new ExecutablePair(new BenchmarkSpec("bench", []), baseline, candidate, _dir, TimeSpan.FromSeconds(30));
        var result = await new PairedMeasurement(new ProgramRunner(pinToCore: false), seed: 3)
            .MeasureAsync([pair], new SequentialSpeedupTest(new StatisticsOptions(Seed: 3)), fixedPairs: 3, CancellationToken.None);
        Assert.Equal(3, result.Benchmarks[0].BaselineSeconds.Count);
        return File.ReadAllLines(log);
    }

    [Fact]
    public async Task PathsOfDifferentLengths_RunThroughLinksOfEqualLength_RemovedAfterwards()
    {
        string log = Path.Combine(_dir, "log");
        string baseline = await ScriptAsync("baseline", log, needsFileBesideItself: false);
        string candidate = await ScriptAsync("0123456789ab", log, needsFileBesideItself: false);

        var started = await MeasureAndReadLogAsync(baseline, candidate, log);

        Assert.Equal(2 * (1 + 3), started.Count); // a warm-up and three pairs, both arms
        Assert.Single(started.Select(p => p.Length).Distinct());
        Assert.DoesNotContain(baseline, started);
        Assert.DoesNotContain(candidate, started);
        Assert.All(started, p => Assert.False(File.Exists(p), $"{p} was left behind"));
    }

    [Fact]
    public async Task AProgramThatNeedsItsOwnDirectory_RunsFromWhereItWasBuilt()
    {
        string log = Path.Combine(_dir, "log");
        string baseline = await ScriptAsync("baseline", log, needsFileBesideItself: true);
        string candidate = await ScriptAsync("0123456789ab", log, needsFileBesideItself: true);

        var started = await MeasureAndReadLogAsync(baseline, candidate, log);

        Assert.Equal(2 * (1 + 3), started.Count);
        Assert.Equal(new HashSet<string> { baseline, candidate }, started.ToHashSet());
    }
}
