using System.Text.Json;
using AutoPass.Core.Build;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Pinning.Staleness;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Session;

/// <summary>
/// A project laid out as lz4 and xxHash are (tests/fixtures/cprojects/layered): its CMakeLists.txt in build/cmake, its
/// sources beside it in lib/ (a static library) and programs/. Tuned for real (gcc, CMake, Ninja, valgrind).
/// </summary>
[Trait("Category", "Real")]
public sealed class SubfolderProjectTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("autopass-layered-").FullName;
    private readonly string _root;

    public SubfolderProjectTests() => _root = CProjectFixtures.CopyTo("layered", _temp);

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string SourceDir => Path.Combine(_root, "build", "cmake");

    [Fact]
    public async Task A_build_cmake_project_profiles_picks_the_hot_library_file_and_rebuilds_only_it_per_candidate()
    {
        var request = new TuningRequest
        {
            SourceDir = SourceDir,
            OutputDir = Path.Combine(_root, "autopass"),
            IntermediateDir = Path.Combine(_root, "obj", "autopass"),
            Benchmarks = [new BenchmarkSpec("layered", ["300000"])],
            MaxTrials = 3,
            RaceSize = 3,
            MaxMinutes = 3,
            Search = SearchMode.Random,
            Agents = AgentMode.Builtin,
            NoNoiseWarnings = true,
        };
        var sink = new RecordingDiagnosticSink();

        var result = await new TuningSession(request, sink).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

        // The profile mapped the run time to lib/kernel.c, outside the CMake source directory (it mapped nothing before: AP2011).
        Assert.DoesNotContain(DiagnosticCode.NoHotFileProfile, sink.WarningCodes);
        var hotLine = Assert.Single(sink.Entries, e => e.Message.StartsWith("hot files:", StringComparison.Ordinal)).Message;
        Assert.StartsWith("hot files: 1 of ", hotLine);
        Assert.Equal(["../../lib/kernel.c"], result.Findings.HotFiles!.Select(f => f.Path));

        // Each candidate recompiled kernel.c alone in the baseline's tree: main.c and report.c were written by the baseline build only.
        var written = HotFileTuningTests.ObjectTimes(Path.Combine(request.IntermediateDir, "builds", "baseline"));
        Assert.Contains(result.Trials, t => t.BuildStatus == Core.Evidence.BuildStatus.Ok);
        foreach (var cold in new[] { "main.c.o", "report.c.o" })
            Assert.True(written["kernel.c.o"] - written[cold] > TimeSpan.FromSeconds(1),
                $"{cold} was written at {written[cold]:HH:mm:ss.fff}, kernel.c.o at {written["kernel.c.o"]:HH:mm:ss.fff}: not rebuilt by a candidate alone");

        // Pinned per file by its path from the CMake source directory, and the pinned files agree with the lock.
        var pinned = LockFile.Parse(File.ReadAllText(Path.Combine(request.OutputDir, PinnedFiles.LockName)));
        Assert.Empty(PinnedSetConsistency.Check(request.OutputDir, pinned));
        if (pinned.Outcome == "improved")
        {
            var file = Assert.Single(pinned.Files!);
            Assert.Equal("../../lib/kernel.c", file.Path);
            Assert.Equal(LockSourceFile.HashOf(Path.Combine(_root, "lib", "kernel.c")), file.Sha256);
        }
    }

    [Fact]
    public async Task The_pinned_per_file_flags_reach_a_file_beside_the_cmake_directory_and_no_other()
    {
        // A plain build with a pinned autopass.cmake whose hot file lies in ../../lib: CMake resolves it from CMAKE_SOURCE_DIR.
        string script = Path.Combine(_root, "autopass.cmake");
        File.WriteAllText(script, CMakeFlagsScript.Render(["-O3"], "test", files: [new FileFlags("../../lib/kernel.c", ["-funroll-loops"])]));
        string tree = Path.Combine(_root, "tree");
        var built = await new CMakeBuilder(new CMakeSettings(SourceDir, Generator: "Ninja")).ConfigureAndBuildAsync(tree, script, ["layered"], CancellationToken.None);
        Assert.True(built.Succeeded, built.Log);

        using var commands = JsonDocument.Parse(File.ReadAllText(Path.Combine(tree, "compile_commands.json")));
        var byFile = commands.RootElement.EnumerateArray().ToDictionary(e => Path.GetFileName(e.GetProperty("file").GetString()!), e => e.GetProperty("command").GetString()!);
        Assert.Contains("-funroll-loops", byFile["kernel.c"].Split(' '));
        Assert.DoesNotContain("-funroll-loops", byFile["report.c"].Split(' '));
        Assert.DoesNotContain("-funroll-loops", byFile["main.c"].Split(' '));
    }
}
