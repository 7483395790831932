using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Pinning;

namespace AutoPass.Build.Tests;

/// <summary>
/// Issue 16, driven through the real program: a tampered or mixed set of pinned files is reported by verify before
/// any compiler sees its flags, a full disk during pinning is an error that leaves the earlier set as it was, and no
/// failure ends in a crash.
/// </summary>
public sealed class PinningFailureTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Pinned => _temp["autopass"];

    /// <summary>A lock file for the installed gcc, as a session on this machine would write it.</summary>
    private static LockFile Tuned(IReadOnlyList<string> flags, int trials = 1) =>
        TunedLock.For("gcc", ["-O2", "--param=max-unroll-times=4"], flags, trials: trials);

    private string LockPath => Path.Combine(Pinned, PinnedFiles.LockName);

    private CommandResult Verify()
    {
        string request = Requests.Write(_temp.Path, new { sourceDir = _temp.Path, outputDir = Pinned, intermediateDir = _temp["obj"] });
        return Command.AutoPass(_temp.Path, "verify", "--request", request);
    }

    [Fact]
    public void Verify_passes_a_set_written_together()
    {
        PinnedFiles.Write(Pinned, Tuned(["-funroll-loops"]));

        var result = Verify();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("pinned flags are current", result.Output);
    }

    [Fact]
    public void Verify_reports_flags_of_a_tampered_lock_file_and_never_runs_a_compiler_with_them()
    {
        PinnedFiles.Write(Pinned, Tuned(["-funroll-loops"]));
        string marker = _temp["marker"];
        var tampered = LockFile.Parse(File.ReadAllText(LockPath)) with
        {
            Flags = ["-funroll-loops", "-wrapper", $"/bin/sh,-c,touch {marker}", "-fplugin=/tmp/autopass-evil.so"],
        };
        File.WriteAllText(LockPath, tampered.ToJson());

        var result = Verify();

        result.AssertFailsWith("AP5007", "'-wrapper'");
        Assert.Contains($"'/bin/sh,-c,touch {marker}'", result.Output);
        Assert.Contains("error AP5007: The lock file pins '-fplugin=/tmp/autopass-evil.so'", result.Output);
        Assert.Contains("Restore autopass.lock.json", result.Output);
        Assert.False(File.Exists(marker), "a compiler ran with the tampered lock file's -wrapper: " + result);
    }

    [Fact]
    public void Verify_reports_props_and_cmake_files_that_disagree_with_the_lock()
    {
        PinnedFiles.Write(Pinned, Tuned(["-funroll-loops"]));
        string cmake = Path.Combine(Pinned, PinnedFiles.CMakeName);
        File.WriteAllText(cmake, File.ReadAllText(cmake).Replace("\"-funroll-loops\"", "\"-funroll-all-loops\""));
        string props = Path.Combine(Pinned, PinnedFiles.PropsName);
        File.WriteAllText(props, File.ReadAllText(props).Replace("<AutoPassCFlags>-O2 --param=max-unroll-times=4 -funroll-loops<", "<AutoPassCFlags>-O2<"));

        var result = Verify();

        result.AssertFailsWith("AP5008", "autopass.cmake applies the flags '-O2 --param=max-unroll-times=4 -funroll-all-loops' but autopass.lock.json pins '-O2 --param=max-unroll-times=4 -funroll-loops'");
        Assert.Contains("autopass.props applies the flags '-O2' but", result.Output);
    }

    [Fact]
    public void Verify_reports_a_set_mixed_by_a_write_that_stopped_between_renames()
    {
        PinnedFiles.Write(Pinned, Tuned(["-funroll-loops"], trials: 1));
        // What a crash after the first rename of a later write leaves: that write's props, the earlier cmake and lock.
        string later = _temp["later"];
        PinnedFiles.Write(later, Tuned(["-funroll-loops"], trials: 7));
        File.Copy(Path.Combine(later, PinnedFiles.PropsName), Path.Combine(Pinned, PinnedFiles.PropsName), overwrite: true);

        var result = Verify();

        result.AssertFailsWith("AP5009", "are not one set");
        Assert.Contains($"autopass.props: {PinnedFiles.SetId(Tuned(["-funroll-loops"], trials: 7))}", result.Output);
        Assert.Contains("Restore the autopass/ folder from version control as one commit", result.Output);
    }

    [Theory]
    [InlineData("\"versionRange\": \"[", "\"versionRange\": \"not a range [")]
    [InlineData("\"flags\": [\n    \"-funroll-loops\"\n  ]", "\"flags\": null")]
    public void Verify_reports_a_lock_file_edited_into_nonsense_as_AP5004(string original, string edited)
    {
        PinnedFiles.Write(Pinned, Tuned(["-funroll-loops"]));
        string text = File.ReadAllText(LockPath);
        Assert.Contains(original, text);
        File.WriteAllText(LockPath, text.Replace(original, edited));

        Verify().AssertFailsWith("AP5004", "Restore it from version control or retune.");
    }

    private CommandResult Tune(object request)
    {
        string path = Requests.Write(_temp.Path, request);
        return Command.AutoPass(_temp.Path, "tune", "--request", path);
    }

    private static object TuneRequest(string source, string outputDir, string intermediateDir, string baselineFlags) => new
    {
        sourceDir = source,
        outputDir,
        intermediateDir,
        benchmarks = new[] { Requests.Benchmark("ok") },
        settings = new { baselineFlags, maxTrials = "1", agents = "builtin" },
    };

    [Fact]
    public void A_full_disk_while_pinning_is_AP5006_and_leaves_the_earlier_set_byte_identical()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        using var disk = new SmallDisk();
        string pinned = disk["autopass"];
        var first = Tune(TuneRequest(source, pinned, _temp["obj"], "-O3"));
        Assert.True(first.ExitCode == 0, first.ToString());
        var before = Directory.GetFiles(pinned).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        Assert.Equal(["autopass.cmake", "autopass.lock.json", "autopass.props"], before.Keys.Order());

        disk.Fill();
        var second = Tune(TuneRequest(source, pinned, _temp["obj"], "-O2"));

        second.AssertFailsWith("AP5006", "No space left on device");
        Assert.Contains("The files pinned before are unchanged.", second.Output);
        var after = Directory.GetFiles(pinned).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        Assert.Equal(before.Keys.Order(), after.Keys.Order()); // no temporary file left behind
        foreach (var (name, bytes) in before) Assert.Equal(bytes, after[name]);
    }

    [Fact]
    public void A_full_disk_under_the_ledger_is_AP1020_not_a_crash()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        using var disk = new SmallDisk();
        disk.Fill();

        var result = Tune(TuneRequest(source, Pinned, disk["obj"], "-O3"));

        result.AssertFailsWith("AP1020", "No space left on device");
        Assert.Contains("Free disk space", result.Output);
    }

    [Fact]
    public void An_error_nobody_anticipated_gets_an_AP_code_and_where_to_report_it_not_a_crash()
    {
        // A request with a null benchmark entry fails inside request parsing with a NullReferenceException.
        string path = Path.Combine(_temp.Path, "request.json");
        File.WriteAllText(path, """{ "sourceDir": ".", "benchmarks": [null] }""");

        var result = Command.AutoPass(_temp.Path, "tune", "--request", path);

        result.AssertFailsWith("AP1021", "This is a bug in AutoPass");
        Assert.Contains("Report it on the AutoPass issue tracker", result.Output);
    }
}
