using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Statistics;

public class CombinedSpeedupTests
{
    private static readonly StatisticsOptions Options = new(Resamples: 2000);

    private static BenchmarkSamples Benchmark(string name, double speedup, int seed, int pairs = 30, double sigma = 0.01)
    {
        var (b, c) = new NoisyMachine(sigma, 0.05, 0.10, Drift: 0.06, DriftAt: pairs / 2).Take(speedup, pairs, seed);
        return new BenchmarkSamples(name, new PairedSamples(b, c));
    }

    [Fact]
    public void The_combined_speedup_is_the_geometric_mean_of_the_benchmarks_truths()
    {
        double[] truths = [1.10, 1.03, 0.99, 1.06];
        var benchmarks = truths.Select((t, i) => Benchmark($"b{i}", t, 100 + i, pairs: 40)).ToList();
        var verdict = CombinedSpeedup.Estimate(benchmarks, Options);
        double geomean = Math.Exp(truths.Average(Math.Log)); // 1.0441
        Assert.InRange(verdict.Speedup, geomean - 0.005, geomean + 0.005);
        Assert.True(verdict.Low <= verdict.Speedup && verdict.Speedup <= verdict.High, verdict.ToString());
        Assert.True(verdict.High - verdict.Low < 0.02, verdict.ToString());
        Assert.Equal(SpeedupDecision.Faster, verdict.Decision);
        Assert.Empty(verdict.Regressions);
        Assert.Equal(["b0", "b1", "b2", "b3"], verdict.Benchmarks.Select(b => b.Name));
        Assert.Equal(SpeedupDecision.Faster, verdict.Benchmarks[0].Verdict.Decision);
    }

    [Fact]
    public void The_combined_interval_covers_the_true_geometric_mean_at_its_confidence()
    {
        double[] truths = [1.10, 1.03, 0.99, 1.06];
        double geomean = Math.Exp(truths.Average(Math.Log));
        const int repetitions = 200;
        int covered = Enumerable.Range(0, repetitions).AsParallel().Count(seed =>
        {
            var benchmarks = truths.Select((t, i) => Benchmark($"b{i}", t, 1000 * seed + i, pairs: 20)).ToList();
            var verdict = CombinedSpeedup.Estimate(benchmarks, Options with { Resamples = 500 });
            return verdict.Low <= geomean && geomean <= verdict.High;
        });
        // 95% nominal; a binomial 200 draws at 95% falls below 90% with probability under 0.3%.
        Assert.InRange(covered / (double)repetitions, 0.90, 1.0);
    }

    [Fact]
    public void A_benchmark_five_percent_slower_is_flagged_and_the_candidate_cannot_win()
    {
        // The mean says faster (geomean about 1.07), but "fft" regressed by 5%.
        var benchmarks = new[]
        {
            Benchmark("sort", 1.15, 1), Benchmark("hash", 1.12, 2), Benchmark("fft", 1 / 1.05, 3),
        };
        var verdict = CombinedSpeedup.Estimate(benchmarks, Options);
        Assert.True(verdict.Low > 1 + Options.MinEffect, verdict.ToString());
        Assert.Equal(["fft"], verdict.Regressions);
        Assert.True(verdict.HasRegression);
        Assert.Equal(SpeedupDecision.NotFaster, verdict.Decision);
        Assert.Contains("fft", verdict.ToString());
    }

    [Fact]
    public void A_benchmark_that_is_only_noisy_is_not_flagged()
    {
        var benchmarks = new[] { Benchmark("sort", 1.08, 1), Benchmark("noisy", 1.0, 2, sigma: 0.05) };
        var verdict = CombinedSpeedup.Estimate(benchmarks, Options);
        Assert.Empty(verdict.Regressions);
    }

    [Fact]
    public void Benchmarks_with_different_pair_counts_combine_too()
    {
        var benchmarks = new[] { Benchmark("a", 1.05, 1, pairs: 20), Benchmark("b", 1.05, 2, pairs: 35) };
        var verdict = CombinedSpeedup.Estimate(benchmarks, Options);
        Assert.InRange(verdict.Speedup, 1.04, 1.06);
        Assert.Equal(20, verdict.Pairs);
    }

    [Fact]
    public void The_sequential_test_stops_a_combined_candidate_at_the_first_regression()
    {
        var test = new SequentialSpeedupTest(Options);
        var benchmarks = new[] { Benchmark("sort", 1.15, 1, pairs: 10), Benchmark("fft", 1 / 1.10, 3, pairs: 10) };
        var verdict = test.Look(benchmarks);
        Assert.NotNull(verdict);
        Assert.Equal(SpeedupDecision.NotFaster, verdict.Decision);
        Assert.Equal(["fft"], verdict.Regressions);
        Assert.Null(test.Look(benchmarks.Select(b => b with { Samples = new PairedSamples(b.Samples.Baseline.Take(9).ToArray(), b.Samples.Candidate.Take(9).ToArray()) }).ToList()));
    }
}
