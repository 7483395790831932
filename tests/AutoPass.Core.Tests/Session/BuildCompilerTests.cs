using AutoPass.Core.Build;
using AutoPass.Core.Processes;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Session;

/// <summary>
/// A toolchain file can choose the compiler whatever CC and PATH say, and CMake never caches that choice: sessions tune
/// with it, and verify checks the pinned flags against it. Real CMake, a toolchain file that names clang (cc is gcc here).
/// </summary>
[Trait("Category", "Real")]
public sealed class BuildCompilerTests : IDisposable
{
    private readonly UnrulyProject _project = new();

    public void Dispose() => _project.Dispose();

    private static string Clang => ExternalTool.FindOnPath("clang") ?? throw new InvalidOperationException("these tests need clang on PATH");

    private TuningRequest WithClangToolchain()
    {
        string toolchain = Path.Combine(_project.Directory, "clang-toolchain.cmake");
        File.WriteAllText(toolchain, $"set(CMAKE_C_COMPILER \"{Clang}\")\nset(CMAKE_CXX_COMPILER \"{Clang}++\")\n");
        return _project.Request() with { CMakeArgs = ["-DCMAKE_TOOLCHAIN_FILE=" + toolchain] };
    }

    [Fact]
    public async Task A_toolchain_files_compiler_is_found_by_a_scratch_configure_that_leaves_nothing_behind()
    {
        var request = WithClangToolchain();

        var choice = await BuildCompiler.FindAsync(request, "clang", CancellationToken.None);

        Assert.Equal(Clang, choice.Path);
        Assert.Contains("preset and configure arguments", choice.Reason);
        Assert.False(Directory.Exists(Path.Combine(request.IntermediateDir, "verify-configure")));
        // Without the toolchain file the default compiler is taken, as before: gcc's cc on this machine.
        var plain = await BuildCompiler.FindAsync(_project.Request(), "gcc", CancellationToken.None);
        Assert.NotEqual(Clang, plain.Path);
    }

    [Fact]
    public async Task The_pinned_build_trees_compiler_is_taken_while_it_was_configured_for_the_same_request()
    {
        var request = WithClangToolchain();
        string tree = ArtifactPaths.For(request).PinnedBuild;
        var built = await new CMakeBuilder(SessionSetup.CMakeSettingsFor(request)).ConfigureAndBuildAsync(tree, "", [], CancellationToken.None);
        Assert.True(built.Succeeded, built.Log);

        var choice = await BuildCompiler.FindAsync(request, "clang", CancellationToken.None);

        Assert.Equal((Clang, $"the compiler CMake configured {tree} with"), (choice.Path, choice.Reason));
        // Configured for other arguments, the tree says nothing about this request's compiler.
        var other = await BuildCompiler.FindAsync(request with { CMakeArgs = [.. request.CMakeArgs, "-DUNRELATED=1"] }, "clang", CancellationToken.None);
        Assert.Contains("preset and configure arguments", other.Reason);
    }

    [Fact]
    public async Task A_session_tunes_with_the_compiler_a_toolchain_file_names()
    {
        using var sleeper = new UnrulyProject("sleeper");
        string toolchain = Path.Combine(sleeper.Directory, "clang-toolchain.cmake");
        File.WriteAllText(toolchain, "set(CMAKE_C_COMPILER clang)\n");
        var request = sleeper.Request(new BenchmarkSpec("sleeper", [])) with
        {
            CMakeArgs = ["-DCMAKE_TOOLCHAIN_FILE=" + toolchain],
            MaxTrials = 1,
            RaceSize = 1,
            Search = SearchMode.Random,
            Agents = AgentMode.Builtin,
            NoNoiseWarnings = true,
        };

        var result = await new TuningSession(request, new RecordingDiagnosticSink()).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));

        var compiler = Assert.Single(Core.Evidence.Ledger.LastSession(result.LedgerPath).OfType<Core.Evidence.CompilerLine>());
        Assert.Equal(("clang", Clang), (compiler.Id, compiler.Path));
        Assert.Equal("clang", Core.Pinning.LockFile.Parse(File.ReadAllText(Path.Combine(request.OutputDir, Core.Pinning.PinnedFiles.LockName))).Compiler.Id);
    }
}
