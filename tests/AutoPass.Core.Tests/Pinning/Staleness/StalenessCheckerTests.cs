using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning.Staleness;
using AutoPass.Core.Tests.Compilers;
using NuGet.Versioning;

namespace AutoPass.Core.Tests.Pinning.Staleness;

public class StalenessCheckerTests
{
    [Fact]
    public async Task SameCompilerInRangeWithAcceptedFlags_IsCurrent()
    {
        var gcc = await InstalledCompilers.Gcc();
        var pinned = new PinnedToolchain("gcc", gcc.PinnedRange, ["-O3", "-funroll-loops", "--param=max-unroll-times=4"]);
        Assert.Empty(await StalenessChecker.CheckAsync(pinned, gcc));
    }

    [Fact]
    public async Task AnotherCompiler_IsStale()
    {
        var clang = await InstalledCompilers.Clang();
        var gcc = await InstalledCompilers.Gcc();
        var finding = Assert.Single(await StalenessChecker.CheckAsync(new PinnedToolchain("gcc", gcc.PinnedRange, ["-fipa-pta"]), clang));
        Assert.Equal(DiagnosticCode.PinnedStale, finding.Code);
        Assert.Contains("clang", finding.Message);
        Assert.Contains("AutoPassTune", finding.Fix);
    }

    [Fact]
    public async Task VersionOutsideTheRange_IsStale()
    {
        var gcc = await InstalledCompilers.Gcc();
        var older = new VersionRange(new NuGetVersion(gcc.Version.Major - 1, 0, 0), true, new NuGetVersion(gcc.Version.Major, 0, 0), false);
        var finding = Assert.Single(await StalenessChecker.CheckAsync(new PinnedToolchain("gcc", older, ["-O2"]), gcc));
        Assert.Equal(DiagnosticCode.PinnedStale, finding.Code);
        Assert.Contains(gcc.Version.ToNormalizedString(), finding.Message);
    }

    [Fact]
    public async Task PinnedFlagsTheCompilerRejects_AreEachReported()
    {
        var clang = await InstalledCompilers.Clang();
        var pinned = new PinnedToolchain("clang", clang.PinnedRange,
            ["-O3", "-fno-gone-optimization", "-mllvm", "-removed-llvm-knob=3", "-mllvm", "-unroll-threshold=300"]);
        var findings = await StalenessChecker.CheckAsync(pinned, clang);
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(DiagnosticCode.PinnedFlagRejected, f.Code));
        Assert.Contains(findings, f => f.Message.Contains("'-fno-gone-optimization'"));
        Assert.Contains(findings, f => f.Message.Contains("'-mllvm -removed-llvm-knob=3'"));
    }
}
