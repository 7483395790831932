using AutoPass.Core.Compilers;
using NuGet.Versioning;

namespace AutoPass.Core.Tests.Compilers;

[Trait("Category", "Real")]
public class CompilerProbeTests
{
    [Fact]
    public async Task Identify_ReadsIdAndVersionOfRealGccAndClang()
    {
        var gcc = await InstalledCompilers.Gcc();
        var clang = await InstalledCompilers.Clang();
        Assert.Equal("gcc", gcc.Id);
        Assert.Equal("clang", clang.Id);
        Assert.True(gcc.Version.Major >= 9, gcc.VersionText);
        Assert.True(clang.Version.Major >= 11, clang.VersionText);
        Assert.True(gcc.PinnedRange.Satisfies(new NuGetVersion(gcc.Version.Major, 99, 0)));
        Assert.False(gcc.PinnedRange.Satisfies(new NuGetVersion(gcc.Version.Major + 1, 0, 0)));
    }

    [Fact]
    public void FromMacros_PrefersClangOverItsGnucCompatibilityMacros()
    {
        var clang = CompilerProbe.FromMacros("#define __GNUC__ 4\n#define __clang_major__ 17\n#define __clang_minor__ 0\n#define __clang_patchlevel__ 6\n");
        Assert.Equal(("clang", new NuGetVersion(17, 0, 6)), clang);
        var gcc = CompilerProbe.FromMacros("#define __GNUC__ 13\n#define __GNUC_MINOR__ 2\n#define __GNUC_PATCHLEVEL__ 1\n");
        Assert.Equal(("gcc", new NuGetVersion(13, 2, 1)), gcc);
        Assert.Null(CompilerProbe.FromMacros("#define __STDC__ 1\n"));
    }

    [Fact]
    public async Task GccCatalog_IsLiveTypedAndIncludesProbedExtras()
    {
        var gcc = await InstalledCompilers.Gcc();
        var catalog = await CompilerProbe.CatalogAsync(gcc, ["-O3"]);
        Assert.True(catalog.Knows("-funroll-loops"));
        Assert.True(catalog.Knows("-fno-tree-vectorize"));
        Assert.True(catalog.Knows("--param=max-unroll-times=8"));
        Assert.True(catalog.Knows("-flto"));
        Assert.False(catalog.Knows("-fhallucinated-loop-magic"));
        Assert.False(catalog.Knows("--param=no-such-param=3"));
        Assert.Equal(false, catalog.Find("-funroll-loops")!.EnabledAtBaseline);
        Assert.Equal(FlagKind.Parameter, catalog.Find("max-unroll-times", FlagSyntax.GccParam)!.Kind);
    }

    [Fact]
    public async Task ClangCatalog_HasProbedTogglesAndLlvmKnobsSpelledAsPairs()
    {
        var clang = await InstalledCompilers.Clang();
        var catalog = await CompilerProbe.CatalogAsync(clang, ["-O3"]);
        var unroll = catalog.Find("-unroll-threshold", FlagSyntax.LlvmOption);
        Assert.NotNull(unroll);
        Assert.Equal(["-mllvm", "-unroll-threshold=300"], unroll.Spell(300));
        Assert.NotNull(catalog.Find("-inline-threshold", FlagSyntax.LlvmOption));
        Assert.True(catalog.Knows("-fno-unroll-loops"));
        Assert.True(catalog.Knows("-mllvm -force-vector-width=4"));
        // An LLVM knob spelled as a lone -f-looking option is not the knob.
        Assert.False(catalog.Knows("-force-vector-width=4"));
        Assert.All(catalog.Flags, f => Assert.True(f.Syntax is FlagSyntax.Option or FlagSyntax.LlvmOption));
    }

    [Fact]
    public async Task RejectedFlags_GccNamesExactlyTheUnknownOnes()
    {
        var gcc = await InstalledCompilers.Gcc();
        var rejected = await CompilerProbe.RejectedFlagsAsync(gcc,
            ["-funroll-loops", "-fno-such-optimization", "--param=max-unroll-times=8", "-fbogus-flag", "-fno-tree-vectorize", "--param=max-unroll-times=-5"]);
        // -fno-such-optimization is caught although gcc ignores unknown -fno- options on its own.
        Assert.Equal(["-fno-such-optimization", "-fbogus-flag", "--param=max-unroll-times=-5"], rejected);
        Assert.Empty(await CompilerProbe.RejectedFlagsAsync(gcc, ["-O2", "-funroll-loops", "-fipa-pta"]));
    }

    [Fact]
    public async Task RejectedFlags_ClangTurnsWarningsIntoRejectionsAndKeepsMllvmPairsWhole()
    {
        var clang = await InstalledCompilers.Clang();
        var rejected = await CompilerProbe.ProbeAsync(clang,
            ["-funroll-loops", "-fipa-pta", "-mllvm", "-unroll-threshold=300", "-mllvm", "-no-such-llvm-knob=1", "-fbogus-flag"]);
        Assert.Equal(["-fipa-pta", "-mllvm -no-such-llvm-knob=1", "-fbogus-flag"], rejected.Select(r => r.Flag));
        Assert.All(rejected, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason)));
    }
}
