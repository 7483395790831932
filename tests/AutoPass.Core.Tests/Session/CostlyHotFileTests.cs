using AutoPass.Core.Build;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Session;

/// <summary>
/// tests/fixtures/cprojects/costlyfile, built, profiled and run for real (gcc, CMake, Ninja, valgrind): kernel.c holds
/// most of the run time and compiles at once, tables.c an eighth of it and takes seconds to compile. With Ninja's log
/// of the baseline's build, the hot set leaves tables.c out; without one (another generator) it keeps the share rule.
/// </summary>
[Trait("Category", "Real")]
public sealed class CostlyHotFileTests : IDisposable
{
    private readonly UnrulyProject _project = new("costlyfile");

    public void Dispose() => _project.Dispose();

    private async Task<(HotFileSet? Hot, RecordingDiagnosticSink Sink)> SelectAsync(string generator)
    {
        var request = _project.Request(new BenchmarkSpec("costlyfile", ["300000"])) with { IntermediateDir = Path.Combine(_project.Directory, "obj-" + generator.Replace(' ', '-')) };
        var builder = new CMakeBuilder(new CMakeSettings(request.SourceDir, Generator: generator));
        var sink = new RecordingDiagnosticSink();
        var baseline = await new BaselineSetup(request, builder, new Core.Measurement.ProgramRunner(pinToCore: true), sink).PrepareAsync(CancellationToken.None);
        return (await HotFileSelection.SelectAsync(request, baseline, sink, CancellationToken.None), sink);
    }

    [Fact]
    public async Task A_file_whose_compile_costs_each_candidate_more_than_its_share_pays_for_keeps_the_baseline_flags()
    {
        var (hot, sink) = await SelectAsync("Ninja");

        Assert.Equal(["kernel.c"], hot!.Files.Select(f => Path.GetFileName(f.File)));
        var line = Assert.Single(sink.Entries, e => e.Message.StartsWith("hot files:", StringComparison.Ordinal)).Message;
        Assert.Matches(@"left out for their compile time, which every candidate would pay for less than its share of the run time: tables\.c \(1\d(\.\d)?%, \d+\.\d s to compile\); (one|\d) built at (once|a time)", line);
        // The slots it chose are the ones the session builds with.
        Assert.Contains(hot.BuildSlots == 1 ? "; one built at a time" : $"; {hot.BuildSlots} built at once", line);
        // A profile was taken and mapped (a short-benchmark warning, AP2005, may come with a run this short).
        Assert.DoesNotContain(DiagnosticCode.NoHotFileProfile, sink.WarningCodes);
    }

    [Fact]
    public async Task Without_a_ninja_log_the_hot_files_are_those_that_hold_the_share()
    {
        var (hot, sink) = await SelectAsync("Unix Makefiles");

        Assert.Equal(["kernel.c", "tables.c"], hot!.Files.Select(f => Path.GetFileName(f.File)));
        Assert.DoesNotContain(sink.Entries, e => e.Message.Contains("left out", StringComparison.Ordinal));
    }
}
