using AutoPass.Core.Compilers;

namespace AutoPass.Core.Tests.Compilers;

[Trait("Category", "Real")]
public class GccHelpParserTests
{
    private static IReadOnlyList<FlagDefinition> Optimizers(string file) =>
        GccHelpParser.ParseOptimizers(File.ReadAllText(InstalledCompilers.DataFile(file)));

    [Fact]
    public void CapturedOptimizersAtO3_AreTypedWithTheirState()
    {
        var flags = Optimizers("gcc12-optimizers-O3.txt");
        FlagDefinition Get(string name) => Assert.Single(flags, f => f.Name == name);

        Assert.True(flags.Count(f => f.Kind == FlagKind.Toggle) > 150);
        Assert.Equal(false, Get("-funroll-loops").EnabledAtBaseline);
        Assert.Equal(true, Get("-ftree-loop-vectorize").EnabledAtBaseline);
        Assert.Equal(true, Get("-fomit-frame-pointer").EnabledAtBaseline);

        var cost = Get("-fvect-cost-model");
        Assert.Equal(FlagKind.Enum, cost.Kind);
        Assert.Equal(["unlimited", "dynamic", "cheap", "very-cheap"], cost.Values);
        Assert.Equal("dynamic", cost.BaselineValue);
        Assert.Null(Get("-fexcess-precision").BaselineValue); // "[default]" is no value

        // Listed both as a toggle and as "=<0,2> 2": one toggle that also takes a level.
        var dse = Get("-flifetime-dse");
        Assert.Equal((FlagKind.Toggle, true, 0L, 2L, 2L), (dse.Kind, dse.EnabledAtBaseline!.Value, dse.Min!.Value, dse.Max!.Value, dse.Default!.Value));

        // Listed without a state: a toggle whose state is unknown, so no flip is offered.
        Assert.Null(Get("-fdelete-null-pointer-checks").EnabledAtBaseline);
        Assert.Null(Get("-fdelete-null-pointer-checks").Flip());
    }

    [Fact]
    public void CapturedOptimizers_SkipOtherLanguagesAliasesAndUntypedValues()
    {
        var names = Optimizers("gcc12-optimizers-O3.txt").Select(f => f.Name).ToList();
        Assert.DoesNotContain("-frtti", names);                 // [available in C++, D, ObjC++]
        Assert.DoesNotContain("-fhandle-exceptions", names);    // alias of -fexceptions
        Assert.DoesNotContain("-fno-threadsafe-statics", names);
        Assert.DoesNotContain(names, n => n.StartsWith("-fno-", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("-O", StringComparison.Ordinal));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("-falign-functions", names);            // the toggle; "-falign-functions= 16" is skipped
        Assert.DoesNotContain(names, n => n.EndsWith('='));
    }

    [Fact]
    public void CapturedOptimizers_StatesDifferBetweenO2AndO3()
    {
        var o2 = Optimizers("gcc12-optimizers-O2.txt").ToDictionary(f => f.Name);
        var o3 = Optimizers("gcc12-optimizers-O3.txt").ToDictionary(f => f.Name);
        Assert.Equal(false, o2["-fversion-loops-for-strides"].EnabledAtBaseline);
        Assert.Equal(true, o3["-fversion-loops-for-strides"].EnabledAtBaseline);
        Assert.Equal("very-cheap", o2["-fvect-cost-model"].BaselineValue);
    }

    [Fact]
    public void CapturedParams_HaveRangesDefaultsAndEnums()
    {
        var flags = GccHelpParser.ParseParams(File.ReadAllText(InstalledCompilers.DataFile("gcc12-params-O3.txt")));
        FlagDefinition Get(string name) => Assert.Single(flags, f => f.Name == name);

        Assert.True(flags.Count > 250);
        Assert.All(flags, f => Assert.Equal(FlagSyntax.GccParam, f.Syntax));
        var unroll = Get("max-unroll-times");
        Assert.Equal((FlagKind.Parameter, 8L), (unroll.Kind, unroll.Default!.Value));
        Assert.Equal(["--param=max-unroll-times=4"], unroll.Spell(4));
        var align = Get("align-threshold");
        Assert.Equal((1L, 65536L, 100L), (align.Min!.Value, align.Max!.Value, align.Default!.Value));
        Assert.NotNull(Get("sra-max-scalarization-size-Osize"));  // upper case in a name
        var schedule = Get("parloops-schedule");
        Assert.Equal(FlagKind.Enum, schedule.Kind);
        Assert.Equal("static", schedule.BaselineValue);
        Assert.DoesNotContain(flags, f => f.Name == "lazy-modules"); // [available in C++]
        Assert.DoesNotContain(flags, f => f.Name == "evrp-mode");    // a word value without its domain
    }

    [Fact]
    public void Parser_ToleratesCrlfGarbageAndOddPadding()
    {
        string text = "The following options control optimizations:\r\n"
            + "  -funroll-loops \t\t[enabled]\r\n"
            + "garbage line\r\n"
            + "  -fno-plt    [enabled]\r\n"
            + "  -fvect-cost-model=[cheap|dynamic]\t\tcheap   \r\n"
            + "  -fweird=<number> \t\r\n"
            + "\r\n";
        var flags = GccHelpParser.ParseOptimizers(text);
        Assert.Equal(3, flags.Count);
        Assert.Equal(true, flags[0].EnabledAtBaseline);
        Assert.Equal(("-fplt", false), (flags[1].Name, flags[1].EnabledAtBaseline!.Value)); // -fno-plt on = -fplt off
        Assert.Equal("cheap", flags[2].BaselineValue);
        Assert.Empty(GccHelpParser.ParseParams("  --param=bad=<1,x> 3\n  --param=\n"));
    }
}
