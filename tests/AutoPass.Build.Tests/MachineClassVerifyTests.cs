using System.Text.Json;
using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Pinning;

namespace AutoPass.Build.Tests;

/// <summary>
/// One pinned set per machine class, through the real program: verify and build check every class's set, not the
/// default's alone, and a class with no set is AP5031 before anything is configured.
/// </summary>
public sealed class MachineClassVerifyTests : IDisposable
{
    private static readonly LockMachineClass First = new("x86_64-first-gcc", "the first class");
    private static readonly LockMachineClass Second = new("x86_64-second-gcc", "the second class");

    private readonly TempDir _temp = new();
    private readonly LoggingCompiler _compiler;
    private readonly string _source;

    public MachineClassVerifyTests()
    {
        _compiler = new LoggingCompiler(_temp.Path);
        _source = _temp.CopyFrom(Repo.Fixture("sleeper"), "src");
    }

    public void Dispose() => _temp.Dispose();

    private string Pinned => _temp["autopass"];

    private string SecondDir => PinnedMachineClasses.SetDir(Pinned, Second.Name);

    private void PinBoth(IReadOnlyList<string> secondFlags)
    {
        PinnedFiles.Write(Pinned, TunedLock.For("gcc", ["-O2"], ["-funroll-loops"]), _source, First);
        PinnedFiles.Write(Pinned, TunedLock.For("gcc", ["-O2"], secondFlags), _source, Second);
    }

    private CommandResult Run(string command, params string[] more)
    {
        string request = Requests.Write(_temp.Path, new { sourceDir = _source, outputDir = Pinned, intermediateDir = _temp["obj"], benchmarks = new[] { Requests.Benchmark("sleeper") } });
        return Command.AutoPass(_temp.Path, new Dictionary<string, string?> { ["CC"] = _compiler.Path }, [command, "--request", request, .. more]);
    }

    private CommandResult Tune(string? machineClass)
    {
        string request = Requests.Write(_temp.Path, new
        {
            sourceDir = _source, outputDir = Pinned, intermediateDir = _temp["obj"], benchmarks = new[] { Requests.Benchmark("sleeper") },
            settings = new Dictionary<string, string?> { ["maxTrials"] = "1", ["agents"] = "builtin", ["tuneScope"] = "project", ["machineClass"] = machineClass },
        });
        return Command.AutoPass(_temp.Path, new Dictionary<string, string?> { ["CC"] = _compiler.Path }, "tune", "--request", request);
    }

    [Fact]
    public void A_session_pins_for_AutoPassMachineClass_and_keeps_the_first_classs_set()
    {
        PinnedFiles.Write(Pinned, TunedLock.For("gcc", ["-O2"], ["-funroll-loops"]), _source, First);
        string firstCMake = File.ReadAllText(Path.Combine(Pinned, PinnedFiles.CMakeName));

        var result = Tune(Second.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        var top = LockFile.Parse(File.ReadAllText(Path.Combine(Pinned, PinnedFiles.LockName)));
        Assert.Equal(First, top.MachineClass);
        Assert.Equal(["-funroll-loops"], top.Flags);
        Assert.Equal([Second.Name], top.OtherMachineClasses);
        var second = LockFile.Parse(File.ReadAllText(Path.Combine(SecondDir, PinnedFiles.LockName)));
        Assert.Equal(Second.Name, second.MachineClass!.Name);
        Assert.Contains("logical cores", second.MachineClass.Description);
        // The first class's flags line is as it was; only the dispatch gained the second class.
        Assert.Contains(firstCMake.Split('\n').Single(l => l.StartsWith("set(AUTOPASS_FLAGS", StringComparison.Ordinal)), File.ReadAllText(Path.Combine(Pinned, PinnedFiles.CMakeName)));
        Assert.True(Run("verify").ExitCode == 0);
        // What reads one set (the report, --json) reads the class's own.
        var report = Run("report", "--machine-class", Second.Name, "--json");
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Contains(JsonEncodedText.Encode(Path.Combine(SecondDir, PinnedFiles.PropsName)).Value, report.Output);
    }

    [Fact]
    public void A_session_without_a_class_into_a_folder_of_classes_stops_at_its_start_with_AP5033()
    {
        PinnedFiles.Write(Pinned, TunedLock.For("gcc", ["-O2"], ["-funroll-loops"]), _source, First);

        var result = Tune(null);

        result.AssertFailsWith("AP5033", $"holds pinned sets per machine class ({First.Name}");
        Assert.Equal("", _compiler.Log);
    }

    [Fact]
    public void Two_clean_classes_verify_and_each_is_checked_against_the_compiler_when_chosen()
    {
        PinBoth(["-fno-tree-vectorize"]);

        var byDefault = Run("verify");
        Assert.True(byDefault.ExitCode == 0, byDefault.ToString());
        Assert.Contains("-funroll-loops", _compiler.Log);

        var second = Run("verify", "--machine-class", Second.Name);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("-fno-tree-vectorize", _compiler.Log);
    }

    [Fact]
    public void A_tampered_second_class_set_fails_verify_though_the_default_is_chosen()
    {
        PinBoth(["-fno-tree-vectorize"]);
        File.AppendAllText(Path.Combine(SecondDir, PinnedFiles.CMakeName), "execute_process(COMMAND touch /tmp/autopass-owned)\n");

        var result = Run("verify");

        result.AssertFailsWith("AP5020", $"Machine class '{Second.Name}'");
        Assert.Contains("execute_process", result.Output);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("build")]
    [InlineData("recheck")]
    [InlineData("render")]
    public void A_forbidden_flag_in_the_second_class_set_fails_before_any_compiler_runs_with_it(string command)
    {
        PinBoth(["-funroll-loops", "-fplugin=/tmp/autopass-evil.so"]);

        var result = Run(command);

        result.AssertFailsWith("AP5007", $"Machine class '{Second.Name}'");
        Assert.Contains("-fplugin=/tmp/autopass-evil.so", result.Output);
        _compiler.AssertNeverRanWith("-fplugin");
    }

    [Fact]
    public void Build_compiles_with_the_named_classs_flags_and_then_with_the_defaults_in_the_same_tree()
    {
        PinBoth(["-fno-tree-vectorize"]);

        var second = Run("build", "--machine-class", Second.Name);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("-fno-tree-vectorize", _compiler.Log);
        _compiler.AssertNeverRanWith("-funroll-loops");

        File.Delete(_compiler.LogPath);
        var byDefault = Run("build");
        Assert.True(byDefault.ExitCode == 0, byDefault.ToString());
        Assert.Contains("-funroll-loops", _compiler.Log);
        _compiler.AssertNeverRanWith("-fno-tree-vectorize");
    }

    [Fact]
    public void Recheck_builds_the_chosen_classs_own_set()
    {
        PinnedFiles.Write(Pinned, TunedLock.For("gcc", ["-O2"], ["-funroll-loops"]), _source, First);
        // Nothing claimed for the second class: the recheck builds its set and stops there.
        PinnedFiles.Write(Pinned, TunedLock.For("gcc", ["-O1"], []) with { Outcome = "baseline", Speedup = null }, _source, Second);

        var result = Run("recheck", "--machine-class", Second.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"building the pinned set ({Path.Combine(SecondDir, PinnedFiles.CMakeName)})", result.Output);
        Assert.Contains("recheck: nothing claimed", result.Output);
        Assert.Contains(" -O1", _compiler.Log);
        _compiler.AssertNeverRanWith("-funroll-loops");
    }

    [Fact]
    public void Building_a_class_with_no_set_is_AP5031_naming_the_pinned_classes()
    {
        PinBoth(["-fno-tree-vectorize"]);

        var result = Run("build", "--machine-class", "riscv-gcc");

        result.AssertFailsWith("AP5031", $"the pinned classes are {First.Name} (the default), {Second.Name}");
        Assert.Equal("", _compiler.Log);
    }

    [Fact]
    public void Render_writes_every_class_set_again()
    {
        PinBoth(["-fno-tree-vectorize"]);
        string secondCMake = Path.Combine(SecondDir, PinnedFiles.CMakeName);
        string written = File.ReadAllText(secondCMake);
        File.WriteAllText(secondCMake, "# edited by hand\n");

        var result = Run("render");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(written, File.ReadAllText(secondCMake));
    }
}
