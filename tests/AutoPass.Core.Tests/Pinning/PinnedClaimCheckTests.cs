using AutoPass.Core.Pinning;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Pinning;

/// <summary>The recheck's judgement: the lower bound must clear 1 + δ and the re-measured interval must meet the pinned one, either side.</summary>
public class PinnedClaimCheckTests
{
    private static readonly LockSpeedup Claimed = new(1.183, 1.088, 1.209, 0.95, 60);

    private static CombinedVerdict Measured(double estimate, double low, double high) =>
        new(estimate, low, high, 0.95, SpeedupDecision.Faster, []) { MinEffect = 0.01 };

    [Fact]
    public void An_estimate_inside_the_claim_with_a_lower_bound_above_one_plus_delta_holds()
    {
        var check = PinnedClaimCheck.Judge(Claimed, Measured(1.150, 1.100, 1.200), 0.01);

        Assert.Equal(PinnedClaimStatus.Holds, check.Status);
        Assert.Equal("recheck: re-measured 1.150x [1.100, 1.200] in 0 pairs, pinned 1.183x [1.088, 1.209]: the claim holds " +
                     "(the re-measured interval meets the pinned one and its lower bound 1.100 clears 1 + the minimum effect (1.010))", check.SummaryLine());
    }

    [Fact]
    public void The_issues_matrix_kernel_a_real_but_smaller_gain_left_the_interval_below()
    {
        var check = PinnedClaimCheck.Judge(Claimed, Measured(1.023, 1.019, 1.027), 0.01);

        Assert.Equal(PinnedClaimStatus.NotHeld, check.Status);
        Assert.Equal("the re-measured speedup 1.023x [1.019, 1.027] left the pinned interval [1.088, 1.209] (below it, the two intervals apart)", check.Reason);
    }

    [Fact]
    public void An_estimate_just_outside_the_claim_whose_interval_meets_it_holds()
    {
        // Honesty run 1's sort: claimed 1.353x [1.306, 1.399], re-measured 1.299x [1.221, 1.373], same binaries, same machine.
        var check = PinnedClaimCheck.Judge(new LockSpeedup(1.353, 1.306, 1.399, 0.95, 60), Measured(1.299, 1.221, 1.373), 0.01);

        Assert.Equal(PinnedClaimStatus.Holds, check.Status);
    }

    [Fact]
    public void A_faster_estimate_than_claimed_also_fails_the_claim()
    {
        var check = PinnedClaimCheck.Judge(Claimed, Measured(1.300, 1.250, 1.350), 0.01);

        Assert.Equal(PinnedClaimStatus.NotHeld, check.Status);
        Assert.Contains("(above it, the two intervals apart)", check.Reason);
    }

    [Fact]
    public void A_lower_bound_under_one_plus_delta_fails_even_inside_a_wide_claim()
    {
        var wide = new LockSpeedup(1.05, 1.0, 1.10, 0.95, 60);

        var check = PinnedClaimCheck.Judge(wide, Measured(1.04, 1.005, 1.08), 0.01);

        Assert.Equal(PinnedClaimStatus.NotHeld, check.Status);
        Assert.Equal("the re-measured lower bound 1.005 is below 1 + the minimum effect (1.010): the gain is no longer shown", check.Reason);
    }
}
