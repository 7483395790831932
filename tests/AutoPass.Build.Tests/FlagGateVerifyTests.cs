using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Pinning;

namespace AutoPass.Build.Tests;

/// <summary>
/// Issue 27, driven through the real program: every flag a lock file pins, a hot file's included, passes the policy
/// before any compiler runs with it, and the source paths it names stay inside the project and are regular files.
/// The build's compiler is a wrapper that logs its command lines, so a test sees what any compiler ran with.
/// </summary>
public sealed class FlagGateVerifyTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly LoggingCompiler _compiler;
    private readonly string _source;

    public FlagGateVerifyTests()
    {
        _compiler = new LoggingCompiler(_temp.Path);
        _source = _temp.CopyFrom(Repo.Fixture("sleeper"), "src");
    }

    public void Dispose() => _temp.Dispose();

    private string Pinned => _temp["autopass"];

    private CommandResult Verify()
    {
        string request = Requests.Write(_temp.Path, new { sourceDir = _source, outputDir = Pinned, intermediateDir = _temp["obj"] });
        return Command.AutoPass(_temp.Path, new Dictionary<string, string?> { ["CC"] = _compiler.Path }, "verify", "--request", request);
    }

    private static LockFile HotFileLock(string path, IReadOnlyList<string> fileFlags, string sha256) =>
        TunedLock.For("gcc", ["-O2"], fileFlags) with { Files = [new LockSourceFile(path, fileFlags, sha256)] };

    [Fact]
    public void A_clean_hot_file_set_verifies_through_the_logging_compiler()
    {
        // The control: the wrapper works, and verify runs it with the pinned flags when they pass.
        PinnedFiles.Write(Pinned, HotFileLock("sleeper.c", ["-funroll-loops"], LockSourceFile.HashOf(Path.Combine(_source, "sleeper.c"))), _source);

        var result = Verify();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("-funroll-loops", _compiler.Log);
    }

    [Fact]
    public void A_hot_files_fplugin_written_consistently_in_lock_cmake_and_props_fails_verify_and_reaches_no_compiler()
    {
        var pinned = HotFileLock("sleeper.c", ["-funroll-loops", "-fplugin=/tmp/autopass-evil.so"], LockSourceFile.HashOf(Path.Combine(_source, "sleeper.c")));
        PinnedFiles.Write(Pinned, pinned, _source);
        Assert.Contains("-fplugin=/tmp/autopass-evil.so", File.ReadAllText(Path.Combine(Pinned, PinnedFiles.CMakeName)));
        Assert.Contains("-fplugin=/tmp/autopass-evil.so", File.ReadAllText(Path.Combine(Pinned, PinnedFiles.PropsName)));

        var result = Verify();

        result.AssertFailsWith("AP5007", "The lock file pins '-fplugin=/tmp/autopass-evil.so' for sleeper.c");
        Assert.Contains("loads code into the compiler", result.Output);
        _compiler.AssertNeverRanWith("-fplugin");
    }

    [Theory]
    [InlineData("build")]
    [InlineData("recheck")]
    [InlineData("render")]
    public void A_hot_files_fplugin_fails_every_command_that_reads_the_lock_before_any_compiler_runs(string command)
    {
        // Not verify alone: build and recheck run the compiler with what the lock pins, and render writes it into the files every build runs.
        PinnedFiles.Write(Pinned, HotFileLock("sleeper.c", ["-funroll-loops", "-fplugin=/tmp/autopass-evil.so"], LockSourceFile.HashOf(Path.Combine(_source, "sleeper.c"))), _source);
        string request = Requests.Write(_temp.Path, new { sourceDir = _source, outputDir = Pinned, intermediateDir = _temp["obj"], benchmarks = new[] { Requests.Benchmark("sleeper") } });

        var result = Command.AutoPass(_temp.Path, new Dictionary<string, string?> { ["CC"] = _compiler.Path }, command, "--request", request);

        result.AssertFailsWith("AP5007", "The lock file pins '-fplugin=/tmp/autopass-evil.so' for sleeper.c");
        _compiler.AssertNeverRanWith("-fplugin");
    }

    [Fact]
    public void A_project_wide_fcompare_debug_fails_verify_and_reaches_no_compiler()
    {
        // -fcompare-debug=<opts> reruns the compiler with another command line; without a catalog it used to pass.
        PinnedFiles.Write(Pinned, TunedLock.For("gcc", ["-O2"], ["-funroll-loops", "-fcompare-debug=-O1"]), _source);

        var result = Verify();

        result.AssertFailsWith("AP5007", "'-fcompare-debug=-O1'");
        Assert.Contains("another command line", result.Output);
        _compiler.AssertNeverRanWith("-fcompare-debug");
    }

    [Theory]
    [InlineData("/dev/zero", "is an absolute path")]
    [InlineData("../../../etc/passwd", "leaves ")]
    [InlineData("passwd-link.c", "is a symbolic link to /etc/passwd")]
    [InlineData("input.fifo", "is not a regular file")]
    public void A_pinned_path_outside_the_project_or_not_a_regular_file_fails_verify_before_anything_reads_it(string path, string problem)
    {
        File.CreateSymbolicLink(Path.Combine(_source, "passwd-link.c"), "/etc/passwd");
        Assert.Equal(0, Command.Run("mkfifo", [Path.Combine(_source, "input.fifo")], _temp.Path, null, TimeSpan.FromSeconds(30)).ExitCode);
        PinnedFiles.Write(Pinned, HotFileLock(path, ["-funroll-loops"], new string('0', 64)), _source);

        var result = Verify();

        result.AssertFailsWith("AP5022", $"The lock file pins flags for '{path}', which {problem}");
        Assert.Contains("Nothing was read", result.Output);
        Assert.Equal("", _compiler.Log);
    }
}
