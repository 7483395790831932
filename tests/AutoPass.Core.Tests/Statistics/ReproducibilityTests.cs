using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Statistics;

public class ReproducibilityTests
{
    private static PairedSamples Samples()
    {
        var (b, c) = NoisyMachine.Heavy.Take(1.03, 30, 11);
        return new PairedSamples(b, c);
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval_and_another_seed_another_bootstrap()
    {
        var options = new StatisticsOptions(Seed: 42);
        var first = SpeedupStatistics.Estimate(Samples(), options);
        var again = SpeedupStatistics.Estimate(Samples(), options);
        Assert.Equal(first, again);
        Assert.Equal(first.BootstrapLow, again.BootstrapLow);
        Assert.Equal(first.BootstrapHigh, again.BootstrapHigh);

        var other = SpeedupStatistics.Estimate(Samples(), options with { Seed = 43 });
        Assert.Equal(first.Speedup, other.Speedup);
        Assert.NotEqual((first.BootstrapLow, first.BootstrapHigh), (other.BootstrapLow, other.BootstrapHigh));
    }

    [Fact]
    public void The_combined_interval_is_reproducible()
    {
        var benchmarks = new[] { new BenchmarkSamples("a", Samples()), new BenchmarkSamples("b", Samples()) };
        var options = new StatisticsOptions(Resamples: 1000, Seed: 5);
        var first = CombinedSpeedup.Estimate(benchmarks, options);
        var again = CombinedSpeedup.Estimate(benchmarks, options);
        Assert.Equal((first.Speedup, first.Low, first.High), (again.Speedup, again.Low, again.High));
    }

    [Fact]
    public void The_bootstrap_and_rank_intervals_agree_roughly_and_the_reported_one_covers_both()
    {
        var v = SpeedupStatistics.Estimate(Samples(), new StatisticsOptions());
        Assert.True(v.Low <= Math.Min(v.BootstrapLow, v.RankLow) && v.High >= Math.Max(v.BootstrapHigh, v.RankHigh), v.ToString());
        Assert.InRange(v.BootstrapLow / v.RankLow, 0.98, 1.02);
        Assert.InRange(v.BootstrapHigh / v.RankHigh, 0.98, 1.02);
        Assert.True(v.Low <= v.Speedup && v.Speedup <= v.High);
    }
}
