using System.Diagnostics;
using System.Text.Json;
using AutoPass.Core.Build;

namespace AutoPass.Core.Tests.Build;

/// <summary>
/// CMake as teams have it, built for real (cmake, gcc, ninja) from tests/fixtures/cprojects/teamcmake: a preset with a
/// toolchain file and the team's own CMAKE_PROJECT_INCLUDE, a nested project() of its own, a static library, and a
/// FetchContent dependency from a local directory inside the tree. The flags are read back from the compile commands.
/// </summary>
[Trait("Category", "Real")]
public sealed class TeamCMakeTests : IDisposable
{
    private const string Flag = "-funroll-loops";
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-teamcmake-").FullName;
    private readonly string _source;

    public TeamCMakeTests()
    {
        _source = CProjectFixtures.CopyTo("teamcmake", _dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string BuildDir => Path.Combine(_dir, "build");

    private async Task<BuildOutcome> BuildAsync(CMakeSettings settings, params string[] flags)
    {
        var outcome = await new CMakeBuilder(settings).BuildAsync(flags, BuildDir, ["app"], "test", CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Failure?.Message + "\n" + outcome.Log);
        return outcome;
    }

    /// <summary>The compile command of each source file, by file name (core.c, tools.c, dep.c, main.c).</summary>
    private Dictionary<string, string> CompileCommands(string? buildDir = null)
    {
        using var commands = JsonDocument.Parse(File.ReadAllText(Path.Combine(buildDir ?? BuildDir, "compile_commands.json")));
        return commands.RootElement.EnumerateArray().ToDictionary(
            e => Path.GetFileName(e.GetProperty("file").GetString()!),
            e => e.GetProperty("command").GetString()!);
    }

    private static int Count(string text, string part) => text.Split(' ').Count(word => word == part);

    private static string Run(string executable)
    {
        using var process = Process.Start(new ProcessStartInfo(executable) { RedirectStandardOutput = true })!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    [Fact]
    public async Task A_preset_with_a_toolchain_file_builds_the_projects_own_targets_with_the_flags_once_and_the_dependency_without()
    {
        var outcome = await BuildAsync(new CMakeSettings(_source) { Preset = "team" }, "-O3", Flag);

        var commands = CompileCommands();
        // The preset's toolchain file was loaded (its definition is in every command; main.c fails without it).
        Assert.All(commands.Values, c => Assert.Contains("-DTEAM_TOOLCHAIN=1", c));
        // The project's own files, the nested project() included, get the flags once (include_guard), after CMake's.
        foreach (var own in new[] { "main.c", "core.c", "tools.c" })
        {
            Assert.Equal(1, Count(commands[own], Flag));
            Assert.True(commands[own].IndexOf(Flag, StringComparison.Ordinal) > commands[own].IndexOf("-DNDEBUG", StringComparison.Ordinal), commands[own]);
        }
        // Applied once for three project() calls (include_guard): compile options would hide a repeat, so the log tells.
        Assert.Single(outcome.Log.Split('\n'), l => l.Contains("AutoPass: flags for the project's own 3 targets in Release;RelWithDebInfo", StringComparison.Ordinal));
        // The FetchContent dependency builds with CMake's Release flags only.
        Assert.Equal(0, Count(commands["dep.c"], Flag));
        Assert.Contains("-O3 -DNDEBUG", commands["dep.c"]);
        // The team's CMAKE_PROJECT_INCLUDE still ran, after every project() call.
        Assert.Equal(["teamapp", "dep", "teamtools"], File.ReadAllLines(Path.Combine(BuildDir, "team-include-ran.txt")));
        Assert.StartsWith("checksum ", Run(outcome.Executables["app"]));
    }

    [Fact]
    public async Task A_team_include_given_in_the_configure_arguments_is_chained_too()
    {
        string include = Path.Combine(_source, "cmake", "team-include.cmake");

        await BuildAsync(new CMakeSettings(_source) { ExtraArgs = ["-DCMAKE_TOOLCHAIN_FILE=" + Path.Combine(_source, "cmake", "toolchain.cmake"), "-DCMAKE_PROJECT_INCLUDE:FILEPATH=" + include] }, "-O3", Flag);

        Assert.Equal(["teamapp", "dep", "teamtools"], File.ReadAllLines(Path.Combine(BuildDir, "team-include-ran.txt")));
        Assert.Equal(1, Count(CompileCommands()["core.c"], Flag));
    }

    [Fact]
    public async Task Directories_listed_in_AUTOPASS_EXCLUDE_DIRS_are_left_alone()
    {
        await BuildAsync(new CMakeSettings(_source) { Preset = "team", ExtraArgs = ["-DAUTOPASS_EXCLUDE_DIRS=" + Path.Combine(_source, "tools")] }, "-O3", Flag);

        var commands = CompileCommands();
        Assert.Equal(0, Count(commands["tools.c"], Flag));
        Assert.Equal(1, Count(commands["core.c"], Flag));
    }

    [Fact]
    public async Task RelWithDebInfo_is_built_and_gets_the_flags_after_its_own()
    {
        var outcome = await BuildAsync(new CMakeSettings(_source) { Preset = "team", BuildTypes = ["RelWithDebInfo"] }, "-O3", Flag);

        string core = CompileCommands()["core.c"];
        Assert.Contains("-O2 -g -DNDEBUG", core);
        Assert.True(core.IndexOf("-O3", StringComparison.Ordinal) > core.IndexOf("-O2", StringComparison.Ordinal), core);
        Assert.Equal(1, Count(core, Flag));
        Assert.StartsWith("checksum ", Run(outcome.Executables["app"]));
    }

    [Fact]
    public async Task A_build_type_left_out_of_the_list_builds_without_the_flags()
    {
        // The flags follow the script's list of build types: MinSizeRel gets them when listed, and not when the script lists only Release.
        await BuildAsync(new CMakeSettings(_source) { Preset = "team", BuildTypes = ["MinSizeRel"] }, "-O3", Flag);
        Assert.Equal(1, Count(CompileCommands()["core.c"], Flag));

        string script = Path.Combine(BuildDir, "autopass-flags.cmake");
        await File.WriteAllTextAsync(script, CMakeFlagsScript.Render(["-O3", Flag], "test", ["Release"]));
        var outcome = await new CMakeBuilder(new CMakeSettings(_source) { Preset = "team", BuildTypes = ["MinSizeRel"] })
            .ConfigureAndBuildAsync(BuildDir, script, ["app"], CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Log);
        Assert.Equal(0, Count(CompileCommands()["core.c"], Flag));
        Assert.Contains("-Os", CompileCommands()["core.c"]);
    }

    [Fact]
    public async Task Ninja_Multi_Config_builds_the_measured_configuration_with_the_flags_and_leaves_Debug_alone()
    {
        var outcome = await BuildAsync(new CMakeSettings(_source) { Preset = "team-multi" }, "-O3", Flag);

        Assert.Equal(Path.Combine(BuildDir, "Release", "app"), outcome.Executables["app"]);
        Assert.StartsWith("checksum ", Run(outcome.Executables["app"]));
        string release = NinjaCommands("Release");
        string debug = NinjaCommands("Debug");
        Assert.Contains(Flag, Line(release, "core.c"));
        Assert.DoesNotContain(Flag, Line(release, "dep.c"));
        Assert.DoesNotContain(Flag, Line(debug, "core.c"));
    }

    [Fact]
    public async Task A_build_type_the_multi_config_generator_lacks_fails_with_the_fix()
    {
        var outcome = await new CMakeBuilder(new CMakeSettings(_source) { Preset = "team-multi", BuildTypes = ["MinSizeRel"] })
            .BuildAsync(["-O3"], BuildDir, ["app"], "test", CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal(BuildFailureKind.Configure, outcome.Failure!.Kind);
        Assert.Contains("not for the build type MinSizeRel", outcome.Failure.Message);
        Assert.Contains("CMAKE_CONFIGURATION_TYPES", outcome.Failure.Message);
    }

    [Fact]
    public async Task Link_time_optimization_goes_through_CMake_with_gcc_ar_for_the_projects_static_libraries()
    {
        var outcome = await BuildAsync(new CMakeSettings(_source) { Preset = "team" }, "-O3", "-flto=auto");

        var commands = CompileCommands();
        // CMake's own IPO flags, once, not the raw flag on top.
        Assert.Contains("-flto=auto -fno-fat-lto-objects", commands["core.c"]);
        Assert.Equal(1, Count(commands["core.c"], "-flto=auto"));
        Assert.DoesNotContain("-flto", commands["dep.c"]);
        // The project's static library is archived by gcc-ar (plain ar would need the LTO plugin); the dependency's by ar.
        var rules = (await File.ReadAllLinesAsync(Path.Combine(BuildDir, "CMakeFiles", "rules.ninja"))).ToList();
        string ArchiveCommand(string target) => rules[rules.IndexOf($"rule C_STATIC_LIBRARY_LINKER__{target}_Release") + 1];
        Assert.Contains("gcc-ar", ArchiveCommand("teamcore"));
        Assert.DoesNotContain("gcc-ar", ArchiveCommand("dep"));
        Assert.StartsWith("checksum ", Run(outcome.Executables["app"]));
    }

    [Fact]
    public async Task AUTOPASS_DISABLE_builds_without_the_flags_and_the_team_include_still_runs()
    {
        await BuildAsync(new CMakeSettings(_source) { Preset = "team", FlagsDisabled = true }, "-O3", Flag);

        Assert.All(CompileCommands().Values, c => Assert.Equal(0, Count(c, Flag)));
        Assert.Equal(["teamapp", "dep", "teamtools"], File.ReadAllLines(Path.Combine(BuildDir, "team-include-ran.txt")));

        // The same tree enabled again gets them back.
        await BuildAsync(new CMakeSettings(_source) { Preset = "team" }, "-O3", Flag);
        Assert.Equal(1, Count(CompileCommands()["core.c"], Flag));
    }

    private string NinjaCommands(string configuration)
    {
        using var ninja = Process.Start(new ProcessStartInfo("ninja", ["-C", BuildDir, "-f", $"build-{configuration}.ninja", "-t", "commands", $"app:{configuration}"]) { RedirectStandardOutput = true })!;
        string output = ninja.StandardOutput.ReadToEnd();
        ninja.WaitForExit();
        Assert.Equal(0, ninja.ExitCode);
        return output;
    }

    private static string Line(string commands, string file) =>
        Assert.Single(commands.Split('\n'), l => l.Contains(" -c ", StringComparison.Ordinal) && l.Contains("/" + file, StringComparison.Ordinal));
}
