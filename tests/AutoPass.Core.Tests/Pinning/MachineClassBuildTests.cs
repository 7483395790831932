using System.Text.Json;
using AutoPass.Core.Build;
using AutoPass.Core.Pinning;

namespace AutoPass.Core.Tests.Pinning;

/// <summary>
/// Two machine classes pinned in one folder, built for real (cmake, gcc) from tests/fixtures/cprojects/sleeper through the
/// top-level autopass.cmake: AUTOPASS_MACHINE_CLASS chooses the set, unset means the first class pinned, and a name with no
/// set stops the configure with AP5031. The flags are read back from the compile commands.
/// </summary>
[Trait("Category", "Real")]
public sealed class MachineClassBuildTests : IDisposable
{
    private static readonly LockMachineClass First = new("x86_64-first-gcc", "the first class");
    private static readonly LockMachineClass Second = new("x86_64-second-gcc", "the second class");

    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-classbuild-").FullName;
    private readonly string _source;

    public MachineClassBuildTests()
    {
        _source = CProjectFixtures.CopyTo("sleeper", _dir);
        PinnedFiles.Write(Pinned, Lock(["-funroll-loops"]), _source, First);
        PinnedFiles.Write(Pinned, Lock(["-fno-tree-vectorize"]), _source, Second);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Pinned => Path.Combine(_source, "autopass");

    private static LockFile Lock(IReadOnlyList<string> flags) => new()
    {
        Tool = new LockTool("AutoPass", "0.1.0"),
        // Any gcc installed here: the pinned file leaves the flags out of a build with a compiler outside the range.
        Compiler = new LockCompiler("gcc", "12.2.0", "[4.0.0, 100.0.0)"),
        Machine = new LockMachine("cpu", 2, "linux", "x64"),
        Baseline = new LockBaseline(["-O2"]),
        Flags = flags,
        Outcome = "improved",
        Reason = "test",
        Policy = new LockPolicy(false, false),
        Speedup = new LockSpeedup(1.1, 1.05, 1.15, 0.95, 20),
        Benchmarks = [],
        Trials = 1,
    };

    private async Task<(BuildOutcome Outcome, string SleeperCommand)> BuildAsync(string name, params string[] cmakeArgs)
    {
        string tree = Path.Combine(_dir, "build-" + name);
        var settings = new CMakeSettings(_source, CCompiler: "gcc") { ExtraArgs = cmakeArgs };
        var outcome = await new CMakeBuilder(settings).ConfigureAndBuildAsync(tree, Path.Combine(Pinned, PinnedFiles.CMakeName), ["sleeper"], CancellationToken.None);
        string commands = Path.Combine(tree, "compile_commands.json");
        if (!File.Exists(commands)) return (outcome, "");
        using var json = JsonDocument.Parse(File.ReadAllText(commands));
        return (outcome, json.RootElement.EnumerateArray().Single(e => e.GetProperty("file").GetString()!.EndsWith("sleeper.c", StringComparison.Ordinal)).GetProperty("command").GetString()!);
    }

    [Fact]
    public async Task Unset_builds_with_the_first_class_pinned()
    {
        var (outcome, command) = await BuildAsync("default");

        Assert.True(outcome.Succeeded, outcome.Log);
        Assert.Contains(" -funroll-loops", command);
        Assert.DoesNotContain("-fno-tree-vectorize", command);
    }

    [Fact]
    public async Task Each_class_named_builds_with_its_own_set_only()
    {
        var (second, secondCommand) = await BuildAsync("second", $"-DAUTOPASS_MACHINE_CLASS={Second.Name}");
        var (first, firstCommand) = await BuildAsync("first", $"-DAUTOPASS_MACHINE_CLASS={First.Name}");

        Assert.True(second.Succeeded, second.Log);
        Assert.Contains(" -fno-tree-vectorize", secondCommand);
        Assert.DoesNotContain("-funroll-loops", secondCommand);
        // Applied once: the dispatch runs the class's file in place of the default's, not after it.
        Assert.Equal(1, secondCommand.Split(' ').Count(w => w == "-O2"));
        Assert.True(first.Succeeded, first.Log);
        Assert.Contains(" -funroll-loops", firstCommand);
        Assert.DoesNotContain("-fno-tree-vectorize", firstCommand);
    }

    [Fact]
    public async Task A_class_with_no_set_stops_the_configure_with_AP5031_and_the_pinned_classes()
    {
        var (outcome, _) = await BuildAsync("unknown", "-DAUTOPASS_MACHINE_CLASS=riscv-gcc");

        Assert.False(outcome.Succeeded);
        // CMake wraps a message's lines: compared with whitespace runs as one space.
        string log = string.Join(' ', outcome.Log.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("AP5031: AUTOPASS_MACHINE_CLASS is 'riscv-gcc', which has no pinned set here", log);
        Assert.Contains($"The pinned classes: {First.Name} (the default), {Second.Name}.", log);
    }
}
