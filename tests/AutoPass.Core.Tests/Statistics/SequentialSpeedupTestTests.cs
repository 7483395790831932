using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Statistics;

/// <summary>The look schedule, its confidence split, and the stops of single runs of the sequential test.</summary>
public class SequentialSpeedupTestTests
{
    private static readonly StatisticsOptions Options = new(Resamples: 500);


    [Fact]
    public void A_clearly_slower_candidate_stops_early_and_is_never_faster()
    {
        var test = new SequentialSpeedupTest(Options);
        var verdict = SequentialRun.Until(test, NoisyMachine.Light.Pairs(0.90, 5));
        Assert.Equal(SpeedupDecision.Slower, verdict.Decision);
        Assert.Equal(Options.FirstLook, verdict.Pairs);
    }

    [Fact]
    public void An_identical_candidate_on_a_quiet_machine_stops_early_as_futile()
    {
        var test = new SequentialSpeedupTest(Options);
        var verdict = SequentialRun.Until(test, new NoisyMachine(0.002, 0, 0).Pairs(1.0, 5));
        Assert.Equal(SpeedupDecision.NotFaster, verdict.Decision);
        Assert.True(verdict.Pairs < Options.MaxPairs, $"stopped only at {verdict.Pairs} pairs");
    }

    [Fact]
    public void Looks_follow_the_schedule_and_split_the_confidence_over_them()
    {
        var test = new SequentialSpeedupTest(new StatisticsOptions(Confidence: 0.95, FirstLook: 10, LookEvery: 5, MaxPairs: 42));
        int[] looks = Enumerable.Range(1, 50).Where(test.IsLookAt).Where(n => n <= 42).ToArray();
        Assert.Equal([10, 15, 20, 25, 30, 35, 40, 42], looks);
        Assert.Equal(looks.Length, test.PlannedLooks);
        Assert.Equal(1 - 0.05 / looks.Length, test.LookConfidence, 12);
        Assert.Null(test.Look(new PairedSamples([1.0, 1.0], [1.0, 1.0])));
    }

    [Fact]
    public void Undecided_at_the_last_look_means_not_faster()
    {
        // A true 1% speedup sits on δ: it can neither be claimed nor ruled out within 60 pairs of σ = 3%.
        var options = Options with { FirstLook = 60 };
        var verdict = SequentialRun.Until(new SequentialSpeedupTest(options), new NoisyMachine(0.03, 0, 0).Pairs(1.01, 3));
        Assert.Equal(60, verdict.Pairs);
        Assert.Equal(SpeedupDecision.NotFaster, verdict.Decision);
    }
}
