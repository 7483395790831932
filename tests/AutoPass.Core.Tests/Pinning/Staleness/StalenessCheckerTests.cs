using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning.Staleness;
using AutoPass.Core.Tests.Compilers;
using NuGet.Versioning;

namespace AutoPass.Core.Tests.Pinning.Staleness;

[Trait("Category", "Real")]
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
    public async Task AnotherCompiler_IsAWarningThatThePinnedSetLeavesItAlone()
    {
        // The pinned files check the compiler and apply nothing to another one, so its build is no failure.
        var clang = await InstalledCompilers.Clang();
        var gcc = await InstalledCompilers.Gcc();
        var finding = Assert.Single(await StalenessChecker.CheckAsync(new PinnedToolchain("gcc", gcc.PinnedRange, ["-fipa-pta"]), clang));
        Assert.Equal((DiagnosticCode.PinnedSetForOtherCompiler, true), (finding.Code, finding.Warning));
        Assert.Contains($"this build compiles with clang {clang.Version}", finding.Message);
        Assert.Contains("leave them out", finding.Message);
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
        Assert.Contains(findings, f => f.Code == DiagnosticCode.PinnedFlagRejected && f.Message.Contains("'-fno-gone-optimization'"));
        // An LLVM option AutoPass does not tune never reaches the compiler: the policy denies it before the probe.
        Assert.Contains(findings, f => f.Code == DiagnosticCode.PinnedFlagForbidden && f.Message.Contains("'-mllvm -removed-llvm-knob=3'"));
    }

    [Theory]
    [InlineData("-wrapper", "/bin/sh,-c,touch {marker}")]
    [InlineData("-fplugin=/tmp/autopass-no-such-plugin.so", "-B{dir}")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task PinnedFlagsThePolicyDenies_AreReportedAndNeverReachTheCompiler(string first, string second)
    {
        var gcc = await InstalledCompilers.Gcc();
        string dir = InstalledCompilers.ScratchDirectory("gate");
        try
        {
            string marker = Path.Combine(dir, "marker");
            // A -B directory whose "cc1" would leave the marker, had the compiler run with these flags.
            File.WriteAllText(Path.Combine(dir, "cc1"), $"#!/bin/sh\ntouch {marker}\n");
            File.SetUnixFileMode(Path.Combine(dir, "cc1"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var flags = new[] { "-O3", first, second.Replace("{marker}", marker).Replace("{dir}", dir + "/") };

            var findings = await StalenessChecker.CheckAsync(new PinnedToolchain("gcc", gcc.PinnedRange, flags), gcc);

            // Both flags are denied; -O3, admitted, is probed alone and accepted.
            Assert.Equal(2, findings.Count);
            Assert.All(findings, f => Assert.Equal(DiagnosticCode.PinnedFlagForbidden, f.Code));
            Assert.Contains(findings, f => f.Message.Contains($"'{first}'"));
            Assert.False(File.Exists(marker), "the compiler ran with a forbidden pinned flag");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
