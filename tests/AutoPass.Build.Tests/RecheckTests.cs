using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Pinning;

namespace AutoPass.Build.Tests;

/// <summary>
/// `autopass recheck` on a real program: a pinned set (-O2 over a -O0 baseline, many times faster on the mixing kernel)
/// whose gain is real holds; the same lock with the benchmark's argument changed so the kernel does no work fails with
/// AP2040; a lock that pinned the baseline claims nothing and only has to build.
/// </summary>
public sealed class RecheckTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _source;

    /// <summary>A claim the kernel clears on any machine: -O2 runs it several times faster than -O0.</summary>
    private static readonly LockSpeedup Claimed = new(8.0, 3.0, 100.0, 0.95, 60);

    public RecheckTests()
    {
        _source = _temp.CopyFrom(Repo.Fixture("optkernel"), "optkernel");
    }

    public void Dispose() => _temp.Dispose();

    private string Output => Path.Combine(_source, "autopass");

    private string SummaryFile => _temp["summary.md"];

    private static readonly Dictionary<string, string?> Gcc = new() { ["CC"] = "gcc" };

    private void Pin(IReadOnlyList<string> flags, LockSpeedup? speedup, string outcome = "improved") =>
        PinnedFiles.Write(Output, TunedLock.For("gcc", ["-O0"], flags) with { Speedup = speedup, Outcome = outcome }, _source);

    private CommandResult Recheck(string rounds) =>
        Command.AutoPass(_temp.Path, Gcc, "recheck", "--request", Requests.Write(_temp.Path, new
        {
            sourceDir = _source,
            outputDir = Output,
            intermediateDir = _temp["obj"],
            benchmarks = new[] { Requests.Benchmark("mix", rounds) },
            settings = new Dictionary<string, string> { ["recheckPairs"] = "12", ["summaryFile"] = SummaryFile },
        }));

    [Fact]
    public void A_real_gain_holds_and_its_re_measured_interval_is_printed_next_to_the_pinned_one()
    {
        Pin(["-O2"], Claimed);

        var recheck = Recheck("15000");

        Assert.True(recheck.ExitCode == 0, recheck.ToString());
        Assert.Matches(@"recheck: re-measured \d+\.\d{3}x \[\d+\.\d{3}, \d+\.\d{3}\] in 12 pairs, pinned 8\.000x \[3\.000, 100\.000\]: the claim holds", recheck.Output);
        string summary = File.ReadAllText(SummaryFile);
        Assert.Contains("the pinned claim holds", summary);
        Assert.Contains("| pinned (tuning's confirmation) | 8.000x | 3.000–100.000 | 60 |", summary);
        // Scratch trees under the intermediate directory; the user's build tree is never made.
        Assert.True(Directory.Exists(_temp["obj/recheck/builds/pinned"]), recheck.ToString());
        Assert.False(Directory.Exists(_temp["obj/build"]), "recheck configured the user's build tree");
    }

    [Fact]
    public void The_same_lock_with_a_benchmark_that_does_no_work_in_the_kernel_fails_with_AP2040()
    {
        Pin(["-O2"], Claimed);

        var recheck = Recheck("0");

        recheck.AssertFailsWith("AP2040", "The pinned speedup no longer holds");
        Assert.Contains("the claim no longer holds", recheck.Output);
        Assert.Contains("AP2040", File.ReadAllText(SummaryFile));
        Assert.Contains("the pinned claim no longer holds", File.ReadAllText(SummaryFile));
    }

    [Fact]
    public void A_lock_that_pinned_the_baseline_claims_nothing_and_passes_once_it_builds()
    {
        Pin([], null, outcome: "baseline");

        var recheck = Recheck("15000");

        Assert.True(recheck.ExitCode == 0, recheck.ToString());
        Assert.Contains("nothing claimed", recheck.Output);
        Assert.DoesNotContain("measuring the pinned set", recheck.Output);
        Assert.Contains("nothing claimed", File.ReadAllText(SummaryFile));
    }
}
