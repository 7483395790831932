using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Pinning;

namespace AutoPass.Build.Tests;

/// <summary>
/// Attacks on the checked-in pinned files, driven through the real program: each edit that is not what the lock file
/// renders fails `autopass verify` and `autopass build` with AP5020 before CMake or a compiler runs, and `autopass
/// render` writes the files back.
/// </summary>
public sealed class PinnedFileAttackTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _source;
    private readonly string _request;

    public PinnedFileAttackTests()
    {
        _source = _temp.CopyFrom(Repo.Fixture("sleeper"), "sleeper");
        PinnedFiles.Write(Output, TunedLock.For("gcc", ["-O2"], ["-funroll-loops"]), _source);
        _request = Requests.Write(_temp.Path, new { sourceDir = _source, outputDir = Output, intermediateDir = _temp["obj"], buildDir = _temp["build"] });
    }

    public void Dispose() => _temp.Dispose();

    private string Output => Path.Combine(_source, "autopass");

    private string CMakeFile => Path.Combine(Output, PinnedFiles.CMakeName);

    private string PropsFile => Path.Combine(Output, PinnedFiles.PropsName);

    private static readonly Dictionary<string, string?> Gcc = new() { ["CC"] = "gcc" };

    private CommandResult Run(string command) => Command.AutoPass(_temp.Path, Gcc, command, "--request", _request);

    /// <summary>Inserts <paramref name="line"/> after the first line that starts with <paramref name="after"/>; returns its line number.</summary>
    private static int InsertAfter(string path, string after, string line)
    {
        var lines = File.ReadAllLines(path).ToList();
        int at = lines.FindIndex(l => l.TrimStart().StartsWith(after, StringComparison.Ordinal)) + 1;
        Assert.True(at > 0, $"no line starting with '{after}' in {path}");
        lines.Insert(at, line);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return at + 1;
    }

    [Fact]
    public void The_untouched_set_verifies_and_builds()
    {
        var verify = Run("verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());

        var build = Run("build");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(File.Exists(_temp["build/sleeper"]), build.ToString());
    }

    [Fact]
    public void Extra_cmake_code_fails_verify_and_build_with_AP5020_and_never_runs()
    {
        string marker = _temp["marker"];
        File.AppendAllText(CMakeFile, $"execute_process(COMMAND touch {marker})\n");
        int line = File.ReadAllLines(CMakeFile).Length;

        var verify = Run("verify");

        Assert.True(verify.ExitCode == 1, verify.ToString());
        Assert.Contains($"error AP5020: {CMakeFile} is not what autopass.lock.json renders: line {line} is 'execute_process(COMMAND touch {marker})', past the end of the rendered file.", verify.Output);
        Assert.Contains("autopass render --source", verify.Output);

        var build = Run("build");

        Assert.True(build.ExitCode == 1, build.ToString());
        Assert.Contains("error AP5020", build.Output);
        Assert.False(File.Exists(_temp["build/CMakeCache.txt"]), "build configured the project with the tampered file");
        Assert.False(File.Exists(marker), "the code added to autopass.cmake ran");
    }

    [Fact]
    public void A_second_flags_line_fails_verify_with_AP5020()
    {
        // The first set(AUTOPASS_FLAGS ...) line still matches the lock, so reading that line alone passed.
        int line = InsertAfter(CMakeFile, "set(AUTOPASS_FLAGS ", "set(AUTOPASS_FLAGS \"-O2\" \"-funroll-loops\" \"-fno-tree-ch\")");

        var verify = Run("verify");

        Assert.True(verify.ExitCode == 1, verify.ToString());
        Assert.Contains($"error AP5020: {CMakeFile} is not what autopass.lock.json renders: line {line} is 'set(AUTOPASS_FLAGS \"-O2\" \"-funroll-loops\" \"-fno-tree-ch\")' where the rendered file has", verify.Output);
    }

    [Fact]
    public void A_props_file_with_an_extra_ItemDefinitionGroup_fails_verify_with_AP5020()
    {
        int line = InsertAfter(PropsFile, "</ItemDefinitionGroup>",
            "  <ItemDefinitionGroup><ClCompile><AdditionalOptions>%(AdditionalOptions) -fplugin=/tmp/evil.so</AdditionalOptions></ClCompile></ItemDefinitionGroup>");

        var verify = Run("verify");

        Assert.True(verify.ExitCode == 1, verify.ToString());
        Assert.Contains($"error AP5020: {PropsFile} is not what autopass.lock.json renders: line {line} is '  <ItemDefinitionGroup><ClCompile><AdditionalOptions>", verify.Output);
    }

    [Fact]
    public void Render_writes_the_tampered_files_back_and_verify_passes_again()
    {
        File.AppendAllText(CMakeFile, "execute_process(COMMAND true)\n");
        InsertAfter(PropsFile, "</ItemDefinitionGroup>", "  <ItemDefinitionGroup />");
        Assert.Equal(1, Run("verify").ExitCode);

        var render = Run("render");

        Assert.True(render.ExitCode == 0, render.ToString());
        Assert.Contains("wrote autopass.cmake and autopass.props", render.Output);
        Assert.DoesNotContain("execute_process(COMMAND true)", File.ReadAllText(CMakeFile));
        var verify = Run("verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }
}
