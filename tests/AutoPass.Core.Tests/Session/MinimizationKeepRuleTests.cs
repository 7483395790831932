using System.Text.Json;
using AutoPass.Core.Check;
using AutoPass.Core.Evidence;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Session;

/// <summary>
/// Minimization keeps a flag when the set without it is confidently slower by any amount: the minimum effect is for
/// claims against the baseline, and real gains are sums of 1-2% contributions that a 1% loss threshold would drop.
/// </summary>
public class MinimizationKeepRuleTests
{
    private static TrialRecord Without(double speedup, double low, double high, SpeedupDecision decision) => new()
    {
        Trial = 5,
        Phase = TrialPhase.Minimize,
        Flags = ["-ftracer"],
        ComparedWith = ["-ftracer", "-fno-tree-ch"],
        Origin = "minimize",
        BuildStatus = BuildStatus.Ok,
        OutputCheck = OutputCheckStatus.Equal,
        Verdict = new SpeedupVerdict(speedup, low, high, 0.95, decision, 30) { MinEffect = 0.01 },
    };

    [Fact]
    public void A_confident_loss_under_the_minimum_effect_keeps_the_flag()
    {
        // Without -fno-tree-ch the set is 1.3% slower, confidently, but not by a confident 1%.
        var smallLoss = Without(0.987, 0.981, 0.993, SpeedupDecision.Inconclusive);
        Assert.True(smallLoss.RemovalCostsSpeed());
        // The rule of older ledgers dropped it.
        Assert.False(smallLoss.ShowsRemovedFlagNeeded());
    }

    [Fact]
    public void An_interval_that_reaches_one_drops_the_flag_and_a_broken_set_keeps_it()
    {
        Assert.False(Without(0.995, 0.988, 1.002, SpeedupDecision.NotFaster).RemovalCostsSpeed());
        Assert.False(Without(1.004, 0.998, 1.010, SpeedupDecision.NotFaster).RemovalCostsSpeed());
        var broken = Without(1, 1, 1, SpeedupDecision.NotFaster) with { Verdict = null, OutputCheck = OutputCheckStatus.Differs };
        Assert.True(broken.RemovalCostsSpeed());
    }

    [Fact]
    public void What_minimization_decided_is_recorded_and_read_back_from_the_ledger()
    {
        var kept = Without(0.987, 0.981, 0.993, SpeedupDecision.Inconclusive) with { RemovedFlagKept = true };
        string line = JsonSerializer.Serialize(kept, Ledger.JsonOptions);
        Assert.Contains("\"removedFlagKept\":true", line);
        var read = JsonSerializer.Deserialize<TrialRecord>(line, Ledger.JsonOptions)!;
        Assert.True(read.ShowsRemovedFlagNeeded());
        // The record wins over the verdict both ways.
        Assert.False((Without(0.9, 0.85, 0.95, SpeedupDecision.Slower) with { RemovedFlagKept = false }).ShowsRemovedFlagNeeded());
    }
}
