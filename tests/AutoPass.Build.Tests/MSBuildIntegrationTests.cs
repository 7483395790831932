using System.Text.Json;
using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;

namespace AutoPass.Build.Tests;

/// <summary>The targets and the task, driven by a real `dotnet msbuild`, against real CMake projects.</summary>
public sealed class MSBuildIntegrationTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private CommandResult MSBuild(string project, params string[] arguments) =>
        Command.Dotnet(_temp.Path, ["msbuild", project, "-nologo", "-v:n", .. arguments]);

    private static string InstalledGccVersion() =>
        Command.Run("cc", ["-dumpfullversion"], Path.GetTempPath(), null, TimeSpan.FromSeconds(30)).Output.Trim();

    private static LockFile Pinned(IReadOnlyList<string> flags, string compilerId = "gcc", string? range = null, IReadOnlyList<string>? baseline = null) => new()
    {
        Tool = new LockTool("AutoPass", "0.1.0"),
        Compiler = new LockCompiler(compilerId, InstalledGccVersion(), range ?? $"[{InstalledGccVersion().Split('.')[0]}.0.0, {int.Parse(InstalledGccVersion().Split('.')[0]) + 1}.0.0)"),
        Machine = MachineDescription.Current(),
        Baseline = new LockBaseline(baseline ?? ["-O3"]),
        Flags = flags,
        Outcome = flags.Count > 0 ? "improved" : "baseline",
        Reason = "test",
        Policy = new LockPolicy(false, false),
        Speedup = flags.Count > 0 ? new LockSpeedup(1.1, 1.05, 1.15, 0.95, 20) : null,
        Benchmarks = [],
        Trials = 1,
    };

    [Fact]
    public void An_engine_error_becomes_an_MSBuild_error_with_its_AP_code()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        string project = DriverProject.Write(_temp.Path, source, benchmarkItems: "");

        var result = MSBuild(project, "-p:AutoPassTune=true");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Matches(@"error AP1001: No benchmark is named", result.Output);
        Assert.Contains($"(see {DiagnosticCode.HelpLink("AP1001")})", result.Output);
        Assert.Contains("1 Error(s)", result.Output);
    }

    [Fact]
    public void A_missing_program_is_the_tasks_own_AP1008_and_names_its_entry()
    {
        string project = DriverProject.Write(_temp.Path, _temp.Path, "", "<AutoPassBuildNative>false</AutoPassBuildNative>");

        var result = MSBuild(project, "-p:AutoPassVerify=true", "-p:AutoPassCliPath=/nonexistent/autopass.dll");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error AP1008: AutoPass: the autopass program was not found at '/nonexistent/autopass.dll'.", result.Output);
        Assert.Contains($"(see {DiagnosticCode.HelpLink("AP1008")})", result.Output);
    }

    [Fact]
    public void A_setting_reaches_the_program_through_the_targets_and_the_task_and_a_bad_one_names_its_property()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        string project = DriverProject.Write(_temp.Path, source, """<AutoPassBenchmark Include="ok" />""", "<AutoPassBuildNative>false</AutoPassBuildNative>");

        var result = MSBuild(project, "-p:AutoPassTune=true", "-p:AutoPassMaxTrials=lots");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error AP1004: AutoPassMaxTrials is 'lots'. Set it to a whole number of at least 1.", result.Output);
        using var request = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp.Path, "obj", "autopass", "tune.request.json")));
        var settings = request.RootElement.GetProperty("settings");
        Assert.Equal("lots", settings.GetProperty("maxTrials").GetString());
        Assert.Equal("builtin", settings.GetProperty("agents").GetString());
        // Unset properties go as blank text: the program's settings table supplies the default.
        Assert.Equal("", settings.GetProperty("minEffect").GetString());
    }

    [Fact]
    public void Verify_reads_only_the_toolchain_settings_so_a_bad_tuning_setting_does_not_fail_it()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        string project = DriverProject.Write(_temp.Path, source, "", "<AutoPassBuildNative>false</AutoPassBuildNative>");
        PinnedFiles.Write(Path.Combine(_temp.Path, "autopass"), Pinned(["-funroll-loops"]));

        var result = MSBuild(project, "-p:AutoPassVerify=true", "-p:AutoPassMaxTrials=lots", "-p:AutoPassSearch=sideways");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("pinned flags are current", result.Output);
        using var request = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp.Path, "obj", "autopass", "verify.request.json")));
        // The machine class chooses which pinned set verify checks against this build's compiler.
        Assert.Equal(new[] { "cCompiler", "cxxCompiler", "generator", "cmakePreset", "cmakeArgs", "buildTypes", "enabled", "machineClass", "summaryFile" }, request.RootElement.GetProperty("settings").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void A_design_time_build_never_tunes()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        string project = DriverProject.Write(_temp.Path, source, """<AutoPassBenchmark Include="ok" />""", "<AutoPassBuildNative>false</AutoPassBuildNative>");

        var result = MSBuild(project, "-p:AutoPassTune=true", "-p:DesignTimeBuild=true");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("AutoPass:", result.Output);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "obj", "autopass", "ledger.jsonl")));
    }

    [Fact]
    public void The_inner_build_of_a_multi_targeted_project_never_tunes()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        // No benchmarks: tuning here would fail with AP1001, so a green build proves no session started.
        string project = DriverProject.Write(_temp.Path, source, benchmarkItems: "", "<AutoPassBuildNative>false</AutoPassBuildNative>");

        var inner = MSBuild(project, "-p:AutoPassTune=true", "-p:TargetFrameworks=net8.0%3Bnet10.0", "-p:TargetFramework=net10.0");
        var outer = MSBuild(project, "-p:AutoPassTune=true", "-p:TargetFrameworks=net8.0%3Bnet10.0");

        Assert.True(inner.ExitCode == 0, inner.ToString());
        Assert.DoesNotContain("AP1001", inner.Output);
        Assert.Contains("error AP1001", outer.Output);
    }

    [Fact]
    public void A_plain_build_configures_and_builds_cmake_with_the_pinned_flags()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        PinnedFiles.Write(Path.Combine(_temp.Path, "autopass"), Pinned(["-funroll-loops", "-fno-plt"]));
        string project = DriverProject.Write(_temp.Path, source, """<AutoPassBenchmark Include="ok" />""");

        var result = MSBuild(project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("calibration", result.Output);
        var commands = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp.Path, "obj", "autopass", "build", "compile_commands.json")));
        var lines = commands.RootElement.EnumerateArray().Select(e => e.GetProperty("command").GetString()!).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Contains("-O3 -funroll-loops -fno-plt", line));
        Assert.True(File.Exists(Path.Combine(_temp.Path, "obj", "autopass", "build", "ok")));
    }

    [Fact]
    public void A_plain_build_of_a_per_file_pinned_set_gives_the_flags_to_the_hot_file_only()
    {
        string source = _temp.CopyFrom(Repo.Fixture("hotfiles"), "hotfiles");
        PinnedFiles.Write(Path.Combine(_temp.Path, "autopass"), Pinned(["-funroll-loops", "-fno-plt"]) with
        {
            Scope = "hot",
            Files = [new LockSourceFile("kernel.c", ["-funroll-loops", "-fno-plt"], LockSourceFile.HashOf(Path.Combine(source, "kernel.c")))],
        }, sourceDir: source);
        string project = DriverProject.Write(_temp.Path, source, """<AutoPassBenchmark Include="hotfiles" />""");

        var result = MSBuild(project);

        Assert.True(result.ExitCode == 0, result.ToString());
        var commands = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp.Path, "obj", "autopass", "build", "compile_commands.json")))
            .RootElement.EnumerateArray().ToDictionary(e => Path.GetFileName(e.GetProperty("file").GetString()!), e => e.GetProperty("command").GetString()!);
        Assert.Equal(["kernel.c", "main.c", "report.c"], commands.Keys.Order());
        Assert.Contains("-O3 -funroll-loops -fno-plt", commands["kernel.c"]);
        foreach (var cold in new[] { "main.c", "report.c" })
        {
            Assert.Contains("-O3", commands[cold]);
            Assert.DoesNotContain("-funroll-loops", commands[cold]);
            Assert.DoesNotContain("-fno-plt", commands[cold]);
        }
    }

    [Fact]
    public void AutoPassEnabled_false_builds_the_cmake_project_without_the_pinned_flags_and_true_brings_them_back()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        PinnedFiles.Write(Path.Combine(_temp.Path, "autopass"), Pinned(["-funroll-loops", "-fno-plt"]));
        string project = DriverProject.Write(_temp.Path, source, """<AutoPassBenchmark Include="ok" />""");
        string compileCommands = Path.Combine(_temp.Path, "obj", "autopass", "build", "compile_commands.json");
        List<string> Commands() => JsonDocument.Parse(File.ReadAllText(compileCommands)).RootElement.EnumerateArray().Select(e => e.GetProperty("command").GetString()!).ToList();

        var disabled = MSBuild(project, "-p:AutoPassEnabled=false");

        Assert.True(disabled.ExitCode == 0, disabled.ToString());
        Assert.Contains("without the pinned flags (AutoPassEnabled=false", disabled.Output);
        Assert.NotEmpty(Commands());
        Assert.All(Commands(), line => Assert.DoesNotContain("-funroll-loops", line));
        Assert.True(File.Exists(Path.Combine(_temp.Path, "obj", "autopass", "build", "ok")));

        var enabled = MSBuild(project);

        Assert.True(enabled.ExitCode == 0, enabled.ToString());
        Assert.All(Commands(), line => Assert.Contains("-O3 -funroll-loops -fno-plt", line));
    }

    [Fact]
    public void Verify_passes_for_the_installed_compiler_and_fails_for_another_version_range()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        string project = DriverProject.Write(_temp.Path, source, "", "<AutoPassBuildNative>false</AutoPassBuildNative>");
        string output = Path.Combine(_temp.Path, "autopass");

        PinnedFiles.Write(output, Pinned(["-funroll-loops"]));
        var current = MSBuild(project, "-p:AutoPassVerify=true");
        Assert.True(current.ExitCode == 0, current.ToString());
        Assert.Contains("pinned flags are current", current.Output);

        PinnedFiles.Write(output, Pinned(["-funroll-loops"], range: "[1.0.0, 2.0.0)"));
        var stale = MSBuild(project, "-p:AutoPassVerify=true");
        Assert.NotEqual(0, stale.ExitCode);
        Assert.Contains("error AP5002", stale.Output);
    }

    [Fact]
    public void Verify_fails_when_the_compiler_rejects_a_pinned_flag()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        string project = DriverProject.Write(_temp.Path, source, "", "<AutoPassBuildNative>false</AutoPassBuildNative>");
        PinnedFiles.Write(Path.Combine(_temp.Path, "autopass"), Pinned(["-fno-such-optimization-anywhere"]));

        var result = MSBuild(project, "-p:AutoPassVerify=true");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error AP5003", result.Output);
        Assert.Contains("-fno-such-optimization-anywhere", result.Output);
    }

    [Fact]
    public void A_vcxproj_with_a_gcc_toolset_that_imports_autopass_props_gets_the_flags_in_ClCompile_AdditionalOptions_for_Release()
    {
        PinnedFiles.Write(Path.Combine(_temp.Path, "autopass"), Pinned(["-funroll-loops"]));
        // The shape of a Visual C++ project: its own ItemDefinitionGroup first, autopass.props imported after
        // (from Directory.Build.targets), ClCompile items inheriting the definitions.
        File.WriteAllText(Path.Combine(_temp.Path, "native.vcxproj"), """
            <Project>
              <ItemDefinitionGroup>
                <ClCompile><AdditionalOptions>/DPROJECT_OWN</AdditionalOptions></ClCompile>
              </ItemDefinitionGroup>
              <Import Project="autopass/autopass.props" />
              <ItemGroup>
                <ClCompile Include="main.c" />
              </ItemGroup>
              <Target Name="Build" />
            </Project>
            """);

        string Options(string configuration)
        {
            // Visual Studio's WSL toolset compiles with gcc, the compiler the flags were tuned for.
            var result = Command.Dotnet(_temp.Path, ["msbuild", "native.vcxproj", "-getItem:ClCompile", $"-p:Configuration={configuration}", "-p:PlatformToolset=WSL_1_0"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = JsonDocument.Parse(result.Output);
            return json.RootElement.GetProperty("Items").GetProperty("ClCompile")[0].GetProperty("AdditionalOptions").GetString()!;
        }

        Assert.Equal("/DPROJECT_OWN -O3 -funroll-loops", Options("Release"));
        Assert.Equal("/DPROJECT_OWN", Options("Debug"));
    }

    [Fact]
    public void Per_file_pinned_props_give_the_hot_files_their_flags_after_the_projects_and_leave_the_rest_alone()
    {
        Directory.CreateDirectory(Path.Combine(_temp.Path, "src"));
        foreach (var file in new[] { "src/kernel.c", "main.c" }) File.WriteAllText(Path.Combine(_temp.Path, file), "int x;\n");
        PinnedFiles.Write(Path.Combine(_temp.Path, "autopass"), Pinned(["-funroll-loops"]) with
        {
            Scope = "hot",
            Files = [new LockSourceFile("src/kernel.c", ["-funroll-loops"], LockSourceFile.HashOf(Path.Combine(_temp.Path, "src", "kernel.c")))],
        }, sourceDir: _temp.Path);
        // As from Directory.Build.targets: after the project's items, which the per-file entries update.
        File.WriteAllText(Path.Combine(_temp.Path, "native.vcxproj"), """
            <Project>
              <ItemDefinitionGroup>
                <ClCompile><AdditionalOptions>/DPROJECT_OWN</AdditionalOptions></ClCompile>
              </ItemDefinitionGroup>
              <ItemGroup>
                <ClCompile Include="src\kernel.c;main.c" />
              </ItemGroup>
              <Import Project="autopass/autopass.props" />
              <Target Name="Build" />
            </Project>
            """);

        Dictionary<string, string> Options(string configuration, string enabled = "true")
        {
            var result = Command.Dotnet(_temp.Path, ["msbuild", "native.vcxproj", "-getItem:ClCompile", $"-p:Configuration={configuration}", $"-p:AutoPassEnabled={enabled}", "-p:PlatformToolset=WSL_1_0"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = JsonDocument.Parse(result.Output);
            return json.RootElement.GetProperty("Items").GetProperty("ClCompile").EnumerateArray()
                .ToDictionary(i => i.GetProperty("Identity").GetString()!.Replace('\\', '/'), i => i.GetProperty("AdditionalOptions").GetString()!);
        }

        var release = Options("Release");
        Assert.Equal("/DPROJECT_OWN -O3 -funroll-loops", release["src/kernel.c"]);
        Assert.Equal("/DPROJECT_OWN -O3", release["main.c"]);
        Assert.All(Options("Debug").Values, o => Assert.Equal("/DPROJECT_OWN", o));
        Assert.All(Options("Release", enabled: "false").Values, o => Assert.Equal("/DPROJECT_OWN", o));
    }

    [Fact]
    public void A_project_importing_props_pinned_over_a_baseline_with_double_dashes_evaluates()
    {
        // AutoPassBaselineFlags="-O2 --param=max-unroll-times=4" passes baseline validation; its "--" once ended
        // the props file's XML comment early, and every build importing the file failed with MSB4025.
        PinnedFiles.Write(Path.Combine(_temp.Path, "autopass"), Pinned(["-funroll-loops"], baseline: ["-O2", "--param=max-unroll-times=4"]));
        File.WriteAllText(Path.Combine(_temp.Path, "native.vcxproj"), """
            <Project>
              <Import Project="autopass/autopass.props" />
              <Target Name="Build" />
            </Project>
            """);

        var result = Command.Dotnet(_temp.Path, ["msbuild", "native.vcxproj", "-getProperty:AutoPassCFlags", "-p:Configuration=Release"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("-O2 --param=max-unroll-times=4 -funroll-loops", result.Output.Trim());
    }
}
