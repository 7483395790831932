using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Pinning;

namespace AutoPass.Build.Tests;

/// <summary>
/// `autopass verify` checks the pinned flags against the compiler the project's builds use. A toolchain file (given in
/// AutoPassCMakeArgs) chooses it whatever CC says, so verify asks CMake, as the build does: the real program, real
/// CMake, a toolchain file that names clang, on a machine whose cc is gcc.
/// </summary>
public sealed class VerifyCompilerTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private CommandResult Verify(LockFile pinned, string? cc)
    {
        string source = _temp.CopyFrom(Repo.Fixture("sleeper"), "sleeper");
        string toolchain = Path.Combine(_temp.Path, "clang-toolchain.cmake");
        File.WriteAllText(toolchain, "set(CMAKE_C_COMPILER clang)\nset(CMAKE_CXX_COMPILER clang++)\n");
        PinnedFiles.Write(_temp["autopass"], pinned);
        string request = Requests.Write(_temp.Path, new
        {
            sourceDir = source,
            outputDir = _temp["autopass"],
            intermediateDir = _temp["obj"],
            settings = new { cmakeArgs = "-DCMAKE_TOOLCHAIN_FILE=" + toolchain },
        });
        return Command.AutoPass(_temp.Path, new Dictionary<string, string?> { ["CC"] = cc }, "verify", "--request", request);
    }

    [Fact]
    public void Flags_tuned_for_clang_verify_when_the_toolchain_file_builds_with_clang_though_CC_names_gcc()
    {
        var result = Verify(TunedLock.For("clang", ["-O2"], ["-funroll-loops"]), cc: "gcc");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("pinned flags are current for clang", result.Output);
        Assert.Contains("preset and configure arguments", result.Output);
    }

    [Fact]
    public void Flags_tuned_for_gcc_pass_verify_with_a_warning_when_the_toolchain_file_builds_with_clang()
    {
        // autopass.cmake leaves gcc's flags out of a clang build, so that build is no failure; verify says they do not apply.
        var result = Verify(TunedLock.For("gcc", ["-O2"], ["-funroll-loops"]), cc: null);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning AP5021", result.Output);
        Assert.Contains("but this build compiles with clang", result.Output);
        Assert.Contains("the pinned flags do not apply to clang", result.Output);
        Assert.DoesNotContain("error AP", result.Output);
    }
}
