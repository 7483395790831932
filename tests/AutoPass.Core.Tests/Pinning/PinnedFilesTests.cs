using System.Xml.Linq;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Pinning.Staleness;

namespace AutoPass.Core.Tests.Pinning;

[Trait("Category", "Real")]
public sealed class PinnedFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-pin-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static LockFile Sample(IReadOnlyList<string> flags, IReadOnlyList<string>? baseline = null) => new()
    {
        Tool = new LockTool("AutoPass", "0.1.0"),
        Compiler = new LockCompiler("gcc", "12.2.0", "[12.0.0, 13.0.0)"),
        Machine = new LockMachine("cpu", 2, "linux", "x64"),
        Baseline = new LockBaseline(baseline ?? ["-O3"]),
        Flags = flags,
        Outcome = flags.Count > 0 ? "improved" : "baseline",
        Reason = "because",
        Policy = new LockPolicy(false, false),
        Speedup = flags.Count > 0 ? new LockSpeedup(1.07, 1.04, 1.1, 0.95, 40) : null,
        Benchmarks = [new LockBenchmark("matmul", ["300"], flags.Count > 0 ? new LockSpeedup(1.07, 1.04, 1.1, 0.95, 40) : null)],
        Trials = 12,
    };

    [Fact]
    public void Writes_three_files_that_agree_and_leave_no_temporary_files()
    {
        PinnedFiles.Write(_dir, Sample(["-funroll-loops", "--param=max-unroll-times=4"]));

        Assert.Equal(new[] { "autopass.cmake", "autopass.lock.json", "autopass.props" }, Directory.GetFiles(_dir).Select(f => Path.GetFileName(f)).Order());
        string props = File.ReadAllText(Path.Combine(_dir, "autopass.props"));
        Assert.Contains("<AutoPassCFlags>-O3 -funroll-loops --param=max-unroll-times=4</AutoPassCFlags>", props);
        Assert.Contains("<AdditionalOptions Condition=\"'$(_AutoPassFlagForm)' == 'gcc'\">%(AdditionalOptions) -O3 -funroll-loops --param=max-unroll-times=4</AdditionalOptions>", props);
        Assert.Contains("set(AUTOPASS_FLAGS \"-O3\" \"-funroll-loops\" \"--param=max-unroll-times=4\")", File.ReadAllText(Path.Combine(_dir, "autopass.cmake")));
        var roundTrip = LockFile.Parse(File.ReadAllText(Path.Combine(_dir, "autopass.lock.json")));
        Assert.Equal(["-funroll-loops", "--param=max-unroll-times=4"], roundTrip.Flags);
        Assert.Equal(1.04, roundTrip.Speedup!.Low);
    }

    [Fact]
    public void The_same_result_writes_byte_identical_files()
    {
        PinnedFiles.Write(_dir, Sample(["-funroll-loops"]));
        var first = Directory.GetFiles(_dir).Order().Select(File.ReadAllBytes).ToList();
        PinnedFiles.Write(_dir, Sample(["-funroll-loops"]));
        var second = Directory.GetFiles(_dir).Order().Select(File.ReadAllBytes).ToList();
        Assert.Equal(first, second);
    }

    [Fact]
    public void A_baseline_outcome_pins_no_flags_and_says_so()
    {
        PinnedFiles.Write(_dir, Sample([]));
        Assert.Contains("No flags beat -O3 with confidence", File.ReadAllText(Path.Combine(_dir, "autopass.cmake")));
        Assert.Contains("<AutoPassPinnedFlags></AutoPassPinnedFlags>", File.ReadAllText(Path.Combine(_dir, "autopass.props")));
        Assert.Empty(LockFile.Parse(File.ReadAllText(Path.Combine(_dir, "autopass.lock.json"))).Flags);
    }

    [Fact]
    public void An_output_directory_under_a_file_is_AP5001()
    {
        string file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "");
        var e = Assert.Throws<AutoPassException>(() => PinnedFiles.Write(Path.Combine(file, "autopass"), Sample([])));
        Assert.Equal("AP5001", e.Code);
    }

    [Theory]
    [InlineData("improved")]
    [InlineData("baseline")]
    public void A_baseline_with_double_dashes_gives_props_that_are_well_formed_XML(string outcome)
    {
        // "--" ends an XML comment: flag text copied into one made every build importing the file fail (MSB4025).
        IReadOnlyList<string> baseline = ["-O2", "--param=max-unroll-times=4"];
        PinnedFiles.Write(_dir, Sample(outcome == "improved" ? ["-funroll-loops", "--param=max-inline-insns-auto=30"] : [], baseline));

        var props = XDocument.Load(Path.Combine(_dir, "autopass.props"));

        string expected = outcome == "improved" ? "-O2 --param=max-unroll-times=4 -funroll-loops --param=max-inline-insns-auto=30" : "-O2 --param=max-unroll-times=4";
        Assert.Equal(expected, props.Root!.Element("PropertyGroup")!.Element("AutoPassCFlags")!.Value);
        Assert.Equal(expected, props.Root.Element("PropertyGroup")!.Element("AutoPassCxxFlags")!.Value);
        Assert.All(props.Root.Nodes().OfType<XComment>(), c => Assert.DoesNotContain("--", c.Value));
    }

    [Theory]
    [InlineData("--param", "- -param")]
    [InlineData("a---b", "a- - -b")]
    [InlineData("ends-", "ends- ")]
    [InlineData("plain <text> & more", "plain <text> & more")]
    public void Comment_text_never_holds_what_ends_an_XML_comment(string text, string expected)
    {
        Assert.Equal(expected, PinnedProps.XmlCommentText(text));
        XDocument.Parse($"<r><!-- {PinnedProps.XmlCommentText(text)} --></r>");
    }

    [Fact]
    public void All_three_files_carry_the_same_set_id_and_it_follows_the_content()
    {
        PinnedFiles.Write(_dir, Sample(["-funroll-loops"]));
        string id = LockFile.Parse(File.ReadAllText(Path.Combine(_dir, "autopass.lock.json"))).PinnedSet!;

        Assert.Matches("^[0-9a-f]{16}$", id);
        Assert.Equal(id, XDocument.Load(Path.Combine(_dir, "autopass.props")).Root!.Element("PropertyGroup")!.Element("AutoPassPinnedSet")!.Value);
        Assert.Contains($"# Pinned set: {id} ", File.ReadAllText(Path.Combine(_dir, "autopass.cmake")));
        Assert.NotEqual(id, PinnedFiles.SetId(Sample(["-funroll-loops", "-fno-plt"])));
    }

    /// <summary>The real swap, except that the <paramref name="failingCall"/>-th one fails as a full or broken disk would.</summary>
    private static PinnedFiles.SwapStep FailingSwap(int failingCall)
    {
        int calls = 0;
        return (staged, final, backup) =>
        {
            if (++calls == failingCall) throw new IOException("Input/output error (injected)");
            if (backup is null) File.Move(staged, final, overwrite: true);
            else File.Replace(staged, final, backup);
        };
    }

    private Dictionary<string, byte[]> Snapshot() =>
        Directory.GetFiles(_dir).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [Fact]
    public void A_failure_between_renames_puts_the_earlier_set_back_byte_for_byte()
    {
        PinnedFiles.Write(_dir, Sample(["-funroll-loops"]));
        var before = Snapshot();

        // The props file is already swapped when the cmake file's rename fails.
        var e = Assert.Throws<AutoPassException>(() => PinnedFiles.Write(_dir, Sample(["-funroll-loops", "-fno-plt"]), FailingSwap(failingCall: 2)));

        Assert.Equal("AP5006", e.Code);
        Assert.Contains("injected", e.Message);
        Assert.Contains("The files pinned before are unchanged.", e.Message);
        var after = Snapshot();
        Assert.Equal(before.Keys.Order(), after.Keys.Order()); // no temporary or backup file left
        foreach (var (name, bytes) in before) Assert.Equal(bytes, after[name]);
        Assert.Empty(PinnedSetConsistency.Check(_dir, LockFile.Parse(File.ReadAllText(Path.Combine(_dir, "autopass.lock.json")))));
    }

    [Fact]
    public void A_first_write_that_fails_between_renames_leaves_no_pinned_file()
    {
        var e = Assert.Throws<AutoPassException>(() => PinnedFiles.Write(_dir, Sample(["-funroll-loops"]), FailingSwap(failingCall: 3)));

        Assert.Equal("AP5006", e.Code);
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
