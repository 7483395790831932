using AutoPass.Core.Compilers;
using AutoPass.Core.Policy;
using AutoPass.Core.Tests.Compilers;

namespace AutoPass.Core.Tests.Policy;

[Trait("Category", "Real")]
public class FlagPolicyTests
{
    private static readonly FlagPolicy Strict = new(new PolicyOptions());
    private static readonly FlagPolicy Permissive = new(new PolicyOptions(AllowUnsafeMath: true, AllowMachineSpecific: true));

    [Theory]
    // Loads code or runs programs.
    [InlineData("-fplugin=/tmp/x.so")]
    [InlineData("-fplugin=x.so")]
    [InlineData("-fpass-plugin=x.so")]
    [InlineData("-wrapper")]
    [InlineData("-wrapper gdb")]
    [InlineData("-B/tmp/evil")]
    [InlineData("-Bevil")]
    [InlineData("-specs=x")]
    [InlineData("--specs=x")]
    [InlineData("@/tmp/x")]
    [InlineData("@args")]
    [InlineData("-fuse-ld=gold")]
    [InlineData("-xc")]
    [InlineData("-x")]
    [InlineData("-Xclang")]
    [InlineData("-fno-integrated-as")]
    // Reads or writes paths.
    [InlineData("-o/etc/passwd")]
    [InlineData("-o")]
    [InlineData("--output=x")]
    [InlineData("-include")]
    [InlineData("-includestdio.h")]
    [InlineData("-imacros")]
    [InlineData("-I/usr/include")]
    [InlineData("-Iinc")]
    [InlineData("-L/lib")]
    [InlineData("-fdump-tree-all")]
    [InlineData("-fdump-rtl-expand")]
    [InlineData("-save-temps")]
    [InlineData("-save-temps=obj")]
    [InlineData("-MF")]
    [InlineData("-MD")]
    [InlineData("-fprofile-use=/tmp/p")]
    [InlineData("-fprofile-generate")]
    [InlineData("-fprofile-arcs")]
    [InlineData("-fauto-profile")]
    [InlineData("-fbranch-probabilities")]
    [InlineData("-fopt-info-vec-all=/tmp/x")]
    [InlineData("-fopt-info")]
    [InlineData("-fsave-optimization-record")]
    [InlineData("-fdebug-prefix-map=a=b")]
    // Changes the link, defines.
    [InlineData("-Wl,-rpath,/tmp")]
    [InlineData("-Wl,--wrap=malloc")]
    [InlineData("-Xlinker")]
    [InlineData("-lm")]
    [InlineData("-lssl")]
    [InlineData("-DNDEBUG")]
    [InlineData("-D")]
    [InlineData("-UNDEBUG")]
    [InlineData("-shared")]
    [InlineData("-static")]
    // Hardening, instrumentation, ABI, language.
    [InlineData("-fno-stack-protector")]
    [InlineData("-fstack-protector-all")]
    [InlineData("-fcf-protection=none")]
    [InlineData("-fsanitize=address")]
    [InlineData("-fno-sanitize=all")]
    [InlineData("-finstrument-functions")]
    [InlineData("-fpack-struct")]
    [InlineData("-fshort-enums")]
    [InlineData("-fPIC")]
    [InlineData("-fvisibility=hidden")]
    [InlineData("-fno-exceptions")]
    [InlineData("-ftrapv")]
    [InlineData("-fallow-store-data-races")]
    [InlineData("-mabi=ms")]
    [InlineData("-mcmodel=large")]
    [InlineData("-m32")]
    [InlineData("-std=c++20")]
    [InlineData("-g")]
    [InlineData("-Werror")]
    [InlineData("-pg")]
    // Injection, whitespace, quotes, lookalikes, junk.
    [InlineData("-O3; rm -rf /")]
    [InlineData("-O3 && curl x|sh")]
    [InlineData("$(touch /tmp/p)")]
    [InlineData("`id`")]
    [InlineData("-funroll-loops\n-fplugin=x.so")]
    [InlineData(" -O2")]
    [InlineData("-O2 ")]
    [InlineData("-O2\t")]
    [InlineData("\"-O2\"")]
    [InlineData("'-O2'")]
    [InlineData("-funroll-loops\0")]
    [InlineData("\u2010O3")]            // hyphen lookalike
    [InlineData("\u2212funroll-loops")] // minus sign
    [InlineData("-funr\u043Ell-loops")] // Cyrillic o
    [InlineData("-fplug\u0456n=x.so")]  // Cyrillic i
    [InlineData("\uFF0DO3")]            // fullwidth hyphen
    [InlineData("-O3\u200B")]           // zero-width space
    [InlineData("-funroll-loops=../../x")]
    [InlineData("-falign-functions=$HOME")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("O3")]
    [InlineData("/etc/passwd")]
    [InlineData("main.c")]
    [InlineData("-")]
    [InlineData("--")]
    [InlineData("-O4")]
    [InlineData("-O")]
    [InlineData("--param")]
    [InlineData("--param max-unroll-times=8")]
    [InlineData("--param=max-unroll-times")]
    [InlineData("--param=max-unroll-times=8;id")]
    [InlineData("--param=asan-stack=0")]
    [InlineData("-mllvm")]
    [InlineData("-mllvm=-unroll-threshold=300")]
    [InlineData("-mllvm -unroll-threshold=300")]
    public void DeniesWithAReason_EvenWithEveryOptIn(string flag)
    {
        foreach (var policy in new[] { Strict, Permissive })
        {
            var decision = policy.Evaluate(flag);
            Assert.False(decision.Allowed, $"{flag} was allowed");
            Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
        }
    }

    [Theory]
    [InlineData("-O2")]
    [InlineData("-O3")]
    [InlineData("-Os")]
    [InlineData("-funroll-loops")]
    [InlineData("-fno-tree-vectorize")]
    [InlineData("-fvect-cost-model=cheap")]
    [InlineData("--param=max-unroll-times=8")]
    [InlineData("--param=max-inline-insns-auto=30")]
    [InlineData("-flto")]
    [InlineData("-flto=auto")]
    [InlineData("-fno-semantic-interposition")]
    [InlineData("-fno-plt")]
    [InlineData("-fipa-pta")]
    [InlineData("-fno-fast-math")]
    [InlineData("-fmath-errno")]
    [InlineData("-ffp-contract=off")]
    [InlineData("-march=x86-64")]
    [InlineData("-mtune=generic")]
    [InlineData("-mno-avx512f")]
    [InlineData("-mprefer-vector-width=256")]
    public void AllowsOptimizationOptions_WithoutOptIns(string flag) =>
        Assert.True(Strict.Evaluate(flag).Allowed, Strict.Evaluate(flag).Reason);

    [Theory]
    [InlineData("-Ofast")]
    [InlineData("-ffast-math")]
    [InlineData("-funsafe-math-optimizations")]
    [InlineData("-fassociative-math")]
    [InlineData("-freciprocal-math")]
    [InlineData("-ffinite-math-only")]
    [InlineData("-fno-math-errno")]
    [InlineData("-fno-trapping-math")]
    [InlineData("-fno-signed-zeros")]
    [InlineData("-fno-honor-nans")]
    [InlineData("-fcx-limited-range")]
    [InlineData("-fexcess-precision=fast")]
    [InlineData("-ffp-contract=fast")]
    [InlineData("-ffp-model=fast")]
    public void UnsafeMath_OnlyWithItsOptIn(string flag)
    {
        var denied = Strict.Evaluate(flag);
        Assert.False(denied.Allowed);
        Assert.Contains("AutoPassAllowUnsafeMath", denied.Reason);
        Assert.True(new FlagPolicy(new PolicyOptions(AllowUnsafeMath: true)).Evaluate(flag).Allowed);
        Assert.False(new FlagPolicy(new PolicyOptions(AllowMachineSpecific: true)).Evaluate(flag).Allowed);
    }

    [Theory]
    [InlineData("-march=native")]
    [InlineData("-mtune=native")]
    [InlineData("-march=skylake")]
    [InlineData("-march=x86-64-v3")]
    [InlineData("-mcpu=native")]
    [InlineData("-mtune=znver3")]
    [InlineData("-mavx2")]
    [InlineData("-mavx512f")]
    [InlineData("-mfma")]
    [InlineData("-msse4.2")]
    [InlineData("-mbmi2")]
    public void MachineSpecific_OnlyWithItsOptIn(string flag)
    {
        var denied = Strict.Evaluate(flag);
        Assert.False(denied.Allowed);
        Assert.Contains("AutoPassAllowMachineSpecific", denied.Reason);
        Assert.True(new FlagPolicy(new PolicyOptions(AllowMachineSpecific: true)).Evaluate(flag).Allowed);
        Assert.False(new FlagPolicy(new PolicyOptions(AllowUnsafeMath: true)).Evaluate(flag).Allowed);
    }

    [Fact]
    public void MllvmPairs_AreJudgedAsOneUnit_AndOnlyCuratedKnobsPass()
    {
        Assert.True(Strict.Admits(["-O3", "-mllvm", "-unroll-threshold=300", "-funroll-loops"]));
        var decisions = Strict.EvaluateAll(["-mllvm", "-unroll-threshold=300", "-mllvm", "-vectorize-loops=false"]);
        Assert.Equal(["-mllvm -unroll-threshold=300", "-mllvm -vectorize-loops=false"], decisions.Select(d => d.Flag));
        Assert.All(decisions, d => Assert.True(d.Allowed, d.Reason));

        // Everything else: unknown knobs (some write files), bad values, torn or smuggled pairs.
        string[][] denied =
        [
            ["-mllvm"],
            ["-O3", "-mllvm"],
            ["-mllvm", "-print-after-all"],
            ["-mllvm", "-info-output-file=/tmp/x"],
            ["-mllvm", "-stats"],
            ["-mllvm", "-unroll-threshold=99999"],
            ["-mllvm", "-unroll-threshold=abc"],
            ["-mllvm", "-unroll-threshold=300 -print-after-all"],
            ["-mllvm", "-fplugin=x.so"],
            ["-mllvm", "-o"],
            ["-mllvm", "unroll-threshold=300"],
            ["-mllvm", "-vectorize-loops=maybe"],
            ["-unroll-threshold=300"],
            ["-mllvm", "-mllvm", "-unroll-threshold=300"],
            ["-mllvm", "-unr\u043Ell-threshold=300"],
        ];
        foreach (var flags in denied)
            Assert.False(Permissive.Admits(flags), string.Join(" ", flags));
    }

    [Fact]
    public async Task WithGccCatalog_HallucinatedFlagsAndBadValuesAreDenied()
    {
        var gcc = await InstalledCompilers.Gcc();
        var policy = new FlagPolicy(new PolicyOptions(), await CompilerProbe.CatalogAsync(gcc, ["-O3"]));
        Assert.True(policy.Evaluate("-funroll-loops").Allowed);
        Assert.True(policy.Evaluate("-fno-tree-loop-vectorize").Allowed);
        Assert.True(policy.Evaluate("--param=max-unroll-times=8").Allowed);
        Assert.True(policy.Evaluate("-fvect-cost-model=cheap").Allowed);
        Assert.True(policy.Evaluate("-flto=auto").Allowed);
        Assert.True(policy.Evaluate("-flifetime-dse=1").Allowed);

        Assert.Contains("not an optimization option of gcc", policy.Evaluate("-fsuper-vectorize-everything").Reason);
        Assert.False(policy.Evaluate("--param=max-unroll-magic=8").Allowed);
        Assert.False(policy.Evaluate("-fvect-cost-model=turbo").Allowed);
        Assert.False(policy.Evaluate("-funroll-loops=4").Allowed);
        Assert.False(policy.Evaluate("-flifetime-dse=7").Allowed);
        Assert.False(policy.Evaluate("--param=align-threshold=0").Allowed);      // range is 1..65536
        Assert.False(policy.Evaluate("--param=align-threshold=100000").Allowed);
        Assert.False(policy.Evaluate("-fsave-optimization-record").Allowed);       // listed by gcc, forbidden anyway
        Assert.False(policy.Evaluate("-fprofile-reorder-functions").Allowed);
        Assert.False(policy.Admits(["-mllvm", "-unroll-threshold=300"]));         // not a gcc option
        Assert.Contains("AutoPassAllowUnsafeMath", policy.Evaluate("-ffast-math").Reason);
    }

    [Fact]
    public async Task WithGccCatalog_ParametersWithoutAStatedRangeAreCappedRelativeToTheirDefault()
    {
        var gcc = await InstalledCompilers.Gcc();
        var catalog = await CompilerProbe.CatalogAsync(gcc, ["-O3"]);
        var policy = new FlagPolicy(new PolicyOptions(), catalog);
        // gcc states no range for these (-Q --help=params prints "--param=max-unroll-times=  8"), so any int went through.
        Assert.Null(catalog.Find("max-unroll-times", FlagSyntax.GccParam)!.Max);
        Assert.Null(catalog.Find("max-gcse-memory", FlagSyntax.GccParam)!.Max);

        var intMax = policy.Evaluate("--param=max-unroll-times=2147483647");
        Assert.False(intMax.Allowed);
        Assert.Contains("max-unroll-times takes 0..1024 here", intMax.Reason);
        Assert.True(policy.Evaluate("--param=max-unroll-times=64").Allowed);
        Assert.False(policy.Evaluate("--param=max-unroll-times=-1").Allowed);

        long gcseDefault = catalog.Find("max-gcse-memory", FlagSyntax.GccParam)!.Default!.Value;
        Assert.True(policy.Evaluate($"--param=max-gcse-memory={gcseDefault * ParameterBounds.DefaultMultiple}").Allowed);
        Assert.False(policy.Evaluate($"--param=max-gcse-memory={gcseDefault * ParameterBounds.DefaultMultiple + 1}").Allowed);
        // A stated range is the compiler's word and stays as it is.
        Assert.True(policy.Evaluate("--param=align-threshold=65536").Allowed);
    }

    [Fact]
    public void AParameterWhoseStatedMaximumIsIntMaxIsCappedLikeAnUnboundedOne()
    {
        var compiler = new CompilerInfo("gcc", new NuGet.Versioning.NuGetVersion(12, 2, 0), "/usr/bin/gcc", "gcc 12.2.0");
        var catalog = new FlagCatalog(compiler,
        [
            new FlagDefinition("wide-param", FlagKind.Parameter, Min: 1, Max: int.MaxValue, Default: 200, Syntax: FlagSyntax.GccParam),
            new FlagDefinition("narrow-param", FlagKind.Parameter, Min: 1, Max: 1_000_000, Default: 2, Syntax: FlagSyntax.GccParam),
        ]);
        var policy = new FlagPolicy(new PolicyOptions(), catalog);

        Assert.True(policy.Evaluate("--param=wide-param=3200").Allowed);
        var tooLarge = policy.Evaluate("--param=wide-param=3201");
        Assert.False(tooLarge.Allowed);
        Assert.Contains("wide-param takes 1..3200 here", tooLarge.Reason);
        Assert.False(policy.Evaluate("--param=wide-param=2147483647").Allowed);
        Assert.True(policy.Evaluate("--param=narrow-param=1000000").Allowed);
        Assert.Equal("narrow-param takes 1..1000000", policy.Evaluate("--param=narrow-param=1000001").Reason);
    }

    [Fact]
    public async Task WithClangCatalog_OnlyKnobsOfThisVersionPass()
    {
        var clang = await InstalledCompilers.Clang();
        var policy = new FlagPolicy(new PolicyOptions(), await CompilerProbe.CatalogAsync(clang, ["-O3"]));
        Assert.True(policy.Admits(["-mllvm", "-inline-threshold=500"]));
        Assert.True(policy.Admits(["-fno-unroll-loops"]));
        Assert.False(policy.Admits(["--param=max-unroll-times=8"]));
        Assert.False(policy.Admits(["-fipa-pta"]));
    }

    [Fact]
    public async Task IsTunable_OffersCatalogEntriesButNotForbiddenOnes()
    {
        var gcc = await InstalledCompilers.Gcc();
        var catalog = await CompilerProbe.CatalogAsync(gcc, ["-O3"]);
        var policy = new FlagPolicy(new PolicyOptions(), catalog);
        var tunable = catalog.Flags.Where(policy.IsTunable).Select(f => f.Name).ToHashSet();
        Assert.Contains("-funroll-loops", tunable);
        Assert.Contains("max-unroll-times", tunable);
        Assert.DoesNotContain("-fstack-protector", tunable);
        Assert.DoesNotContain("-fbranch-probabilities", tunable);
        Assert.DoesNotContain("-fassociative-math", tunable);
        Assert.DoesNotContain("asan-stack", tunable);
    }
    [Theory]
    // Options whose value is a path, a spec or another command line: refused with or without a catalog.
    [InlineData("-fcompare-debug=-O2", "command line")]
    [InlineData("-fcompare-debug", "command line")]
    [InlineData("-fcompare-debug-second", "command line")]
    [InlineData("-fdump-tree-all=x", "writes files")]
    [InlineData("-fopt-info-vec=x.txt", "writes files")]
    [InlineData("-fprofile-use=x", "profile")]
    [InlineData("-fprofile-generate=x", "profile")]
    [InlineData("-fprofile-update=atomic", "profile")]
    [InlineData("-fsave-optimization-record=yaml", "writes files")]
    [InlineData("-flto-incremental=cache", "cache")]
    [InlineData("-fself-test=src", "self tests")]
    [InlineData("-fdebug-prefix-map=a=b", "rewrites paths")]
    [InlineData("-ffile-prefix-map=a=b", "rewrites paths")]
    [InlineData("-fplugin-arg-x-y=z", "loads code")]
    [InlineData("-frandom-seed=x", "not an optimization option")]
    [InlineData("-fbasic-block-sections=labels", "list file")]
    [InlineData("-fthinlto-index=x", "reads files")]
    [InlineData("-foffload=nvptx-none=-O3", "another compiler")]
    [InlineData("-fexperimental-sanitize-metadata-ignorelist=x", "experimental")]
    // Not in any family: a value on an option no compiler lists as an optimizer with one.
    [InlineData("-fmax-errors=3", "takes a value")]
    [InlineData("-fconstexpr-depth=9", "takes a value")]
    [InlineData("-fmessage-length=0", "takes a value")]
    public void OptionsWithAValueOutsideTheOptimizers_AreDeniedWithoutACatalog(string flag, string reason)
    {
        foreach (var policy in new[] { Strict, Permissive })
        {
            var decision = policy.Evaluate(flag);
            Assert.False(decision.Allowed, $"{flag} was allowed");
            Assert.Contains(reason, decision.Reason);
        }
    }

    [Theory]
    [InlineData("-falign-functions=32")]
    [InlineData("-falign-loops=16")]
    [InlineData("-flto-partition=one")]
    [InlineData("-fsched-stalled-insns=3")]
    [InlineData("-fira-region=mixed")]
    [InlineData("-flifetime-dse=1")]
    [InlineData("-fvect-cost-model=dynamic")]
    [InlineData("-ffp-model=precise")]
    public void OptimizersWithAValue_PassWithoutACatalog(string flag) =>
        Assert.True(Strict.Evaluate(flag).Allowed, Strict.Evaluate(flag).Reason);

    [Fact]
    public async Task WithGccCatalog_CompareDebugIsDeniedForWhatItDoes()
    {
        var gcc = await InstalledCompilers.Gcc();
        var policy = new FlagPolicy(new PolicyOptions(), await CompilerProbe.CatalogAsync(gcc, ["-O3"]));
        Assert.Contains("command line", policy.Evaluate("-fcompare-debug=-O2").Reason);
        Assert.Contains("writes files", policy.Evaluate("-fdump-tree-all=x").Reason);
        Assert.True(policy.Evaluate("-fvect-cost-model=cheap").Allowed);
    }

    [Theory]
    [InlineData("-Wall")]
    [InlineData("-g")]
    [InlineData("-DNDEBUG")]
    [InlineData("-I/usr/include")]
    [InlineData("-fPIC")]
    [InlineData("-fdiagnostics-color=always")]
    [InlineData("-ffile-prefix-map=/src=.")]
    [InlineData("-Wl,--as-needed")]
    [InlineData("-O3")]
    public void BuildSettings_KeepTheProjectsOwnOptions(string flag) =>
        Assert.True(FlagPolicy.EvaluateBuildSetting(flag).Allowed, FlagPolicy.EvaluateBuildSetting(flag).Reason);

    [Theory]
    [InlineData("-fplugin=/tmp/x.so")]
    [InlineData("-fpass-plugin=/tmp/x.so")]
    [InlineData("-Wl,-plugin=/tmp/x.so")]
    [InlineData("-Wl,--plugin,/tmp/x.so")]
    [InlineData("-wrapper")]
    [InlineData("-B/tmp/evil")]
    [InlineData("-specs=/tmp/x")]
    [InlineData("-Xclang")]
    [InlineData("@/tmp/args")]
    [InlineData("-fcompare-debug=-O2")]
    [InlineData("-fdump-tree-all=/tmp/x")]
    [InlineData("-fprofile-generate")]
    [InlineData("-fno-profile-use")]
    public void BuildSettings_RefuseWhatReachesOutsideTheBuild(string flag)
    {
        var decision = FlagPolicy.EvaluateBuildSetting(flag);
        Assert.False(decision.Allowed, $"{flag} was allowed");
        Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
    }
}
