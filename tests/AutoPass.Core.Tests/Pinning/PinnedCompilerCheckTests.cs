using System.Text.Json;
using AutoPass.Core.Build;
using AutoPass.Core.Pinning;
using AutoPass.Core.Tests.Compilers;

namespace AutoPass.Core.Tests.Pinning;

/// <summary>
/// The pinned autopass.cmake applies its flags only to the compiler they were tuned for: real CMake configures and
/// builds a small C project with the rendered file, once with gcc (the tuned compiler) and once with clang, which
/// rejects gcc's -fno-tree-ch as an unknown argument.
/// </summary>
[Trait("Category", "Real")]
public sealed class PinnedCompilerCheckTests : IDisposable
{
    private const string GccOnlyFlag = "-fno-tree-ch";
    private readonly string _dir = InstalledCompilers.ScratchDirectory("pinned-compiler");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Source => Path.Combine(_dir, "src");

    private void WriteProject()
    {
        Directory.CreateDirectory(Source);
        File.WriteAllText(Path.Combine(Source, "CMakeLists.txt"), "cmake_minimum_required(VERSION 3.16)\nproject(guarded C)\nadd_executable(app main.c kernel.c)\n");
        File.WriteAllText(Path.Combine(Source, "main.c"), "int kernel(int n);\nint main(void) { return kernel(10) == 45 ? 0 : 1; }\n");
        File.WriteAllText(Path.Combine(Source, "kernel.c"), "int kernel(int n) { int s = 0; for (int i = 0; i < n; i++) s += i; return s; }\n");
    }

    /// <summary>A lock tuned with the installed gcc: -O2 for the project, gcc-only flags (for kernel.c alone when <paramref name="hot"/>).</summary>
    private async Task<string> PinForGcc(bool hot, string? range = null)
    {
        WriteProject();
        var gcc = await InstalledCompilers.Gcc();
        IReadOnlyList<string> flags = [GccOnlyFlag, "--param=max-inline-insns-auto=120"];
        var lockFile = new LockFile
        {
            Tool = new LockTool("AutoPass", "0.1.0"),
            Compiler = new LockCompiler("gcc", gcc.Version.ToNormalizedString(), range ?? gcc.PinnedRange.ToNormalizedString()),
            Machine = new LockMachine("cpu", 2, "linux", "x64"),
            Baseline = new LockBaseline(["-O2"]),
            Flags = flags,
            Scope = hot ? "hot" : null,
            Files = hot ? [new LockSourceFile("kernel.c", flags, LockSourceFile.HashOf(Path.Combine(Source, "kernel.c")))] : null,
            Outcome = "improved",
            Reason = "test",
            Policy = new LockPolicy(false, false),
            Speedup = new LockSpeedup(1.07, 1.04, 1.1, 0.95, 40),
            Benchmarks = [],
            Trials = 3,
        };
        string pinned = Path.Combine(Source, "autopass");
        PinnedFiles.Write(pinned, lockFile, Source);
        return Path.Combine(pinned, PinnedFiles.CMakeName);
    }

    /// <summary>Configures and builds as `autopass build` does, with <paramref name="compiler"/> as the C compiler.</summary>
    private async Task<(BuildOutcome Outcome, Dictionary<string, string> Commands)> Build(string script, string compiler)
    {
        string buildDir = Path.Combine(_dir, "build-" + compiler);
        var outcome = await new CMakeBuilder(new CMakeSettings(Source, Generator: "Ninja", CCompiler: compiler)).ConfigureAndBuildAsync(buildDir, script, [], CancellationToken.None);
        var commands = new Dictionary<string, string>();
        string database = Path.Combine(buildDir, "compile_commands.json");
        if (File.Exists(database))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(database));
            foreach (var entry in json.RootElement.EnumerateArray())
                commands[Path.GetFileName(entry.GetProperty("file").GetString()!)] = entry.GetProperty("command").GetString()!;
        }
        return (outcome, commands);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Flags_tuned_for_gcc_are_left_out_of_a_clang_build_which_says_so_and_succeeds(bool hot)
    {
        string script = await PinForGcc(hot);
        var clang = await InstalledCompilers.Clang();

        var (outcome, commands) = await Build(script, "clang");

        Assert.True(outcome.Succeeded, outcome.Failure?.Message + "\n" + outcome.Log);
        var gcc = await InstalledCompilers.Gcc();
        Assert.Contains($"AutoPass: the pinned flags are left out: they were tuned for gcc {gcc.PinnedRange.ToNormalizedString()} and this build compiles with Clang {clang.Version.ToNormalizedString()}", outcome.Log);
        Assert.Equal(["kernel.c", "main.c"], commands.Keys.Order());
        Assert.All(commands.Values, command =>
        {
            Assert.DoesNotContain(GccOnlyFlag, command);
            Assert.DoesNotContain("--param", command);
            Assert.DoesNotContain(" -O2 ", command);
        });
    }

    [Fact]
    public async Task Without_the_check_the_same_clang_build_fails_on_the_gcc_flag()
    {
        // What the pinned file did before it checked the compiler: a candidate's script applies flags to any compiler.
        WriteProject();
        string script = Path.Combine(_dir, "unchecked.cmake");
        File.WriteAllText(script, CMakeFlagsScript.Render(["-O2", GccOnlyFlag], "unchecked"));

        var (outcome, _) = await Build(script, "clang");

        Assert.False(outcome.Succeeded, outcome.Log);
        Assert.Contains(GccOnlyFlag, outcome.Log);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Flags_tuned_for_gcc_reach_a_gcc_build(bool hot)
    {
        string script = await PinForGcc(hot);

        var (outcome, commands) = await Build(script, "gcc");

        Assert.True(outcome.Succeeded, outcome.Failure?.Message + "\n" + outcome.Log);
        Assert.DoesNotContain("left out", outcome.Log);
        Assert.Contains($" -O2 {GccOnlyFlag} --param=max-inline-insns-auto=120", commands["kernel.c"]);
        Assert.Contains(" -O2", commands["main.c"]);
        Assert.Equal(!hot, commands["main.c"].Contains(GccOnlyFlag));
    }

    [Fact]
    public async Task A_gcc_outside_the_pinned_versions_gets_none_of_the_flags()
    {
        string script = await PinForGcc(hot: false, range: "[1.0.0, 2.0.0)");
        var gcc = await InstalledCompilers.Gcc();

        var (outcome, commands) = await Build(script, "gcc");

        Assert.True(outcome.Succeeded, outcome.Log);
        Assert.Contains($"they were tuned for gcc [1.0.0, 2.0.0) and this build compiles with GNU {gcc.Version.ToNormalizedString()}", outcome.Log);
        Assert.All(commands.Values, command => Assert.DoesNotContain(GccOnlyFlag, command));
    }
}
