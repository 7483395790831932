using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Pinning.Staleness;

namespace AutoPass.Core.Tests.Pinning.Staleness;

[Trait("Category", "Real")]
public sealed class PinnedSetConsistencyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-set-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static LockFile Sample(IReadOnlyList<string> flags, int trials = 12) => new()
    {
        Tool = new LockTool("AutoPass", "0.1.0"),
        Compiler = new LockCompiler("gcc", "12.2.0", "[12.0.0, 13.0.0)"),
        Machine = new LockMachine("cpu", 2, "linux", "x64"),
        Baseline = new LockBaseline(["-O2", "--param=max-unroll-times=4"]),
        Flags = flags,
        Outcome = "improved",
        Reason = "because",
        Policy = new LockPolicy(false, false),
        Speedup = new LockSpeedup(1.07, 1.04, 1.1, 0.95, 40),
        Benchmarks = [],
        Trials = trials,
    };

    private string PinnedPath(string name) => Path.Combine(_dir, name);

    private LockFile WrittenLock() => LockFile.Parse(File.ReadAllText(PinnedPath(PinnedFiles.LockName)));

    /// <summary>Writes <paramref name="other"/> elsewhere and copies its props file over this set's: what a crash after the first rename leaves.</summary>
    private void ReplacePropsWithThoseOf(LockFile other)
    {
        string elsewhere = Directory.CreateTempSubdirectory("autopass-set-other-").FullName;
        try
        {
            PinnedFiles.Write(elsewhere, other);
            File.Copy(Path.Combine(elsewhere, PinnedFiles.PropsName), PinnedPath(PinnedFiles.PropsName), overwrite: true);
        }
        finally { Directory.Delete(elsewhere, recursive: true); }
    }

    [Fact]
    public void A_set_written_together_is_consistent()
    {
        PinnedFiles.Write(_dir, Sample(["-funroll-loops", "--param=max-inline-insns-auto=30"]));
        Assert.Empty(PinnedSetConsistency.Check(_dir, WrittenLock()));
    }

    [Fact]
    public void A_set_with_link_time_optimization_for_chosen_build_types_is_consistent()
    {
        // autopass.cmake turns -flto into CMake's IPO property, but its AUTOPASS_FLAGS line still lists every pinned flag.
        PinnedFiles.Write(_dir, Sample(["-flto=auto", "-funroll-loops"]) with { BuildTypes = ["RelWithDebInfo", "MinSizeRel"] });

        Assert.Empty(PinnedSetConsistency.Check(_dir, WrittenLock()));
        Assert.Contains("set(AUTOPASS_CONFIGS \"RelWithDebInfo\" \"MinSizeRel\")", File.ReadAllText(PinnedPath(PinnedFiles.CMakeName)));
    }

    [Fact]
    public void Props_from_another_write_with_the_same_flags_is_a_mixed_set()
    {
        PinnedFiles.Write(_dir, Sample(["-funroll-loops"], trials: 12));
        ReplacePropsWithThoseOf(Sample(["-funroll-loops"], trials: 30));

        var finding = Assert.Single(PinnedSetConsistency.Check(_dir, WrittenLock()));

        Assert.Equal(DiagnosticCode.PinnedSetMixed, finding.Code);
        Assert.Contains($"autopass.props: {PinnedFiles.SetId(Sample(["-funroll-loops"], trials: 30))}", finding.Message);
        Assert.Contains($"autopass.lock.json: {WrittenLock().PinnedSet}", finding.Message);
        Assert.Contains("version control", finding.Fix);
    }

    [Fact]
    public void Props_from_another_write_with_other_flags_is_mixed_and_disagrees()
    {
        PinnedFiles.Write(_dir, Sample(["-funroll-loops"]));
        ReplacePropsWithThoseOf(Sample(["-fno-plt"]));

        var findings = PinnedSetConsistency.Check(_dir, WrittenLock());

        Assert.Equal([DiagnosticCode.PinnedSetMixed, DiagnosticCode.PinnedFilesDisagree], findings.Select(f => f.Code));
        Assert.Contains("autopass.props applies the flags '-O2 --param=max-unroll-times=4 -fno-plt' but autopass.lock.json pins '-O2 --param=max-unroll-times=4 -funroll-loops'", findings[1].Message);
    }

    [Fact]
    public void A_cmake_file_edited_by_hand_disagrees_with_the_lock()
    {
        PinnedFiles.Write(_dir, Sample(["-funroll-loops"]));
        string cmake = File.ReadAllText(PinnedPath(PinnedFiles.CMakeName));
        File.WriteAllText(PinnedPath(PinnedFiles.CMakeName), cmake.Replace("\"-funroll-loops\"", "\"-funroll-all-loops\""));

        var finding = Assert.Single(PinnedSetConsistency.Check(_dir, WrittenLock()));

        Assert.Equal(DiagnosticCode.PinnedFilesDisagree, finding.Code);
        Assert.Contains("autopass.cmake applies the flags '-O2 --param=max-unroll-times=4 -funroll-all-loops'", finding.Message);
    }

    [Fact]
    public void Props_that_are_not_XML_or_missing_are_reported()
    {
        PinnedFiles.Write(_dir, Sample(["-funroll-loops"]));
        File.WriteAllText(PinnedPath(PinnedFiles.PropsName), "<Project><!-- -O2 --param=x --></Project>");
        File.Delete(PinnedPath(PinnedFiles.CMakeName));

        var findings = PinnedSetConsistency.Check(_dir, WrittenLock());

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(DiagnosticCode.PinnedFilesDisagree, f.Code));
        Assert.Contains(findings, f => f.Message.Contains("is not valid XML"));
        Assert.Contains(findings, f => f.Message.Contains("autopass.cmake is missing"));
    }

    [Fact]
    public void A_set_from_before_set_ids_is_judged_by_its_flags_alone()
    {
        PinnedFiles.Write(_dir, Sample(["-funroll-loops"]));
        var withoutId = WrittenLock() with { PinnedSet = null };
        File.WriteAllText(PinnedPath(PinnedFiles.LockName), withoutId.ToJson());
        File.WriteAllLines(PinnedPath(PinnedFiles.PropsName), File.ReadAllLines(PinnedPath(PinnedFiles.PropsName)).Where(l => !l.Contains("AutoPassPinnedSet")));
        File.WriteAllLines(PinnedPath(PinnedFiles.CMakeName), File.ReadAllLines(PinnedPath(PinnedFiles.CMakeName)).Where(l => !l.StartsWith("# Pinned set:")));

        Assert.Empty(PinnedSetConsistency.Check(_dir, withoutId));
    }
}
