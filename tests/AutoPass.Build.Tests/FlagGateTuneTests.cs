using AutoPass.Build.Tests.Infrastructure;

namespace AutoPass.Build.Tests;

/// <summary>
/// Issue 27, driven through the real program: the request's flags (the baseline, compile and link flags carried in
/// AutoPassCMakeArgs) pass the policy before any compiler runs, and its declared output files stay inside the CMake
/// source directory. The compiler is a wrapper that logs its command lines (AutoPassCCompiler and CC), so a test sees
/// what any compiler ran with.
/// </summary>
public sealed class FlagGateTuneTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly LoggingCompiler _compiler;
    private readonly string _source;

    public FlagGateTuneTests()
    {
        _compiler = new LoggingCompiler(_temp.Path);
        _source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
    }

    public void Dispose() => _temp.Dispose();

    private CommandResult Tune(string baselineFlags = "-O2", string cmakeArgs = "", string outputFiles = "", string cmakePreset = "")
    {
        string request = Requests.Write(_temp.Path, new
        {
            sourceDir = _source,
            outputDir = _temp["autopass"],
            intermediateDir = _temp["obj"],
            benchmarks = new[] { new { target = "ok", arguments = "", timeout = "", outputFiles } },
            settings = new { baselineFlags, cmakeArgs, cmakePreset, maxTrials = "1", agents = "builtin", cCompiler = _compiler.Path },
        });
        return Command.AutoPass(_temp.Path, new Dictionary<string, string?> { ["CC"] = _compiler.Path }, "tune", "--request", request);
    }

    [Fact]
    public void A_session_builds_through_the_logging_compiler_with_the_projects_own_cmake_flags()
    {
        // The control: tune runs the wrapper, and the project's warnings flag in AutoPassCMakeArgs reaches it.
        var result = Tune(cmakeArgs: "-DCMAKE_C_FLAGS=-Wall");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("-Wall", _compiler.Log);
        Assert.Contains("-O2", _compiler.Log);
    }

    [Theory]
    [InlineData("-O2 -fplugin=/tmp/autopass-evil.so", "-fplugin", "loads code into the compiler")]
    [InlineData("-O2 -fcompare-debug=-O1", "-fcompare-debug", "another command line")]
    public void A_forbidden_baseline_flag_is_AP1006_and_reaches_no_compiler(string baselineFlags, string flag, string reason)
    {
        var result = Tune(baselineFlags: baselineFlags);

        result.AssertFailsWith("AP1006", reason);
        _compiler.AssertNeverRanWith(flag);
    }

    [Theory]
    [InlineData("-DCMAKE_C_FLAGS=-fplugin=/tmp/autopass-evil.so", "-fplugin")]
    [InlineData("-DCMAKE_C_FLAGS_RELEASE=-fcompare-debug=-O1", "-fcompare-debug")]
    [InlineData("-DCMAKE_EXE_LINKER_FLAGS=-Wl,-plugin=/tmp/autopass-evil.so", "plugin=")]
    public void A_CMake_argument_carrying_a_forbidden_flag_is_AP1050_and_reaches_no_compiler(string cmakeArgs, string flag)
    {
        var result = Tune(cmakeArgs: cmakeArgs);

        result.AssertFailsWith("AP1050", "AutoPassCMakeArgs sets CMAKE_");
        _compiler.AssertNeverRanWith(flag);
    }

    [Fact]
    public void A_configure_preset_carrying_a_forbidden_flag_is_AP1050_and_reaches_no_compiler()
    {
        File.WriteAllText(Path.Combine(_source, "CMakePresets.json"), """
            {
              "version": 3,
              "configurePresets": [
                { "name": "release", "binaryDir": "${sourceDir}/build", "cacheVariables": { "CMAKE_C_FLAGS": "-Wall -fplugin=/tmp/autopass-evil.so" } }
              ]
            }
            """);

        var result = Tune(cmakePreset: "release");

        result.AssertFailsWith("AP1050", "The CMake preset 'release' sets CMAKE_C_FLAGS with '-fplugin=/tmp/autopass-evil.so'");
        _compiler.AssertNeverRanWith("-fplugin");
    }

    [Fact]
    public void An_output_file_outside_the_source_dir_is_AP1051_and_is_not_deleted()
    {
        File.WriteAllText(_temp["outside.txt"], "keep me");

        var result = Tune(outputFiles: "../outside.txt");

        result.AssertFailsWith("AP1051", "declares the output file '../outside.txt', which leaves");
        Assert.True(File.Exists(_temp["outside.txt"]), "a file outside the project was deleted");
    }

    [Fact]
    public void An_output_file_that_is_a_FIFO_is_AP1051_not_a_hang()
    {
        Assert.Equal(0, Command.Run("mkfifo", [Path.Combine(_source, "result.fifo")], _temp.Path, null, TimeSpan.FromSeconds(30)).ExitCode);

        var result = Tune(outputFiles: "result.fifo");

        result.AssertFailsWith("AP1051", "is not a regular file");
    }
}
