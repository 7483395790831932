using AutoPass.Core.Statistics;
using MathNet.Numerics.Random;

namespace AutoPass.Core.Tests.Statistics;

/// <summary>
/// The paired bootstrap resamples blocks of consecutive pairs: on a series whose noise stays high or low for a few pairs
/// at a time (a machine that drifts between states), resampling single pairs takes the pairs for more independent
/// draws than they are and its interval misses the truth far more often than its confidence says; blocks do not.
/// </summary>
public class BlockBootstrapTests
{
    private const int Series = 400, Pairs = 60;

    /// <summary>An AR(1) series of log ratios about zero: each pair keeps half of the last one's noise.</summary>
    private static double[] Autocorrelated(int seed, double keep = 0.5)
    {
        var random = new Random(seed);
        var x = new double[Pairs];
        double state = Gaussian(random) / Math.Sqrt(1 - keep * keep);
        for (int i = 0; i < Pairs; i++) x[i] = state = keep * state + Gaussian(random);
        return x;
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    /// <summary>The share of series whose 95% bootstrap interval of the Hodges–Lehmann estimate contains the true centre, 0.</summary>
    private static double Coverage(double? meanBlockLength) =>
        Enumerable.Range(0, Series).AsParallel().Count(seed =>
        {
            var (low, high) = PairedBootstrap.HodgesLehmannInterval(new WalshAverages(Autocorrelated(seed)), 0.95, 1000, seed, meanBlockLength);
            return low <= 0 && 0 <= high;
        }) / (double)Series;

    [Fact]
    [Trait("Category", "Simulation")]
    public void On_autocorrelated_pairs_blocks_cover_the_truth_where_single_pairs_do_not()
    {
        double single = Coverage(meanBlockLength: 1), blocks = Coverage(meanBlockLength: null);
        // A percentile interval of 60 pairs stays short of its 95% on such a series even in blocks (the regime check
        // handles the larger shifts); what blocks must do is take back most of what single pairs lose.
        Assert.True(single < 0.76, $"single-pair resampling covered {single:P1}: the series is not dependent enough to tell the two apart");
        Assert.True(blocks >= 0.80 && blocks - single >= 0.08, $"the block bootstrap covered {blocks:P1} of the truth (single pairs: {single:P1})");
    }

    [Fact]
    public void On_independent_pairs_blocks_cover_as_the_confidence_says()
    {
        double covered = Enumerable.Range(0, Series).AsParallel().Count(seed =>
        {
            var random = new Random(seed);
            var x = Enumerable.Range(0, Pairs).Select(_ => Gaussian(random)).ToArray();
            var (low, high) = PairedBootstrap.HodgesLehmannInterval(new WalshAverages(x), 0.95, 1000, seed, meanBlockLength: null);
            return low <= 0 && 0 <= high;
        }) / (double)Series;
        Assert.InRange(covered, 0.90, 0.99);
    }

    [Fact]
    public void A_block_draw_uses_every_pair_equally_often_and_keeps_runs_of_consecutive_pairs()
    {
        var random = new Xoshiro256StarStar(3, threadSafe: false);
        var counts = new int[Pairs];
        var total = new long[Pairs];
        int resamples = 20_000;
        for (int r = 0; r < resamples; r++)
        {
            PairedBootstrap.DrawCounts(random, counts, PairedBootstrap.MeanBlockLength(Pairs));
            Assert.Equal(Pairs, counts.Sum());
            for (int i = 0; i < Pairs; i++) total[i] += counts[i];
        }
        // Each pair is drawn once per resample on average, wherever it sits in the series (the blocks wrap round).
        Assert.All(total, t => Assert.InRange(t / (double)resamples, 0.9, 1.1));
    }

    [Fact]
    [Trait("Category", "Simulation")]
    public void The_joined_interval_covers_autocorrelated_pairs_as_the_blocks_do()
    {
        int covered = Enumerable.Range(0, Series).AsParallel().Count(seed =>
        {
            var (low, high) = PairedBootstrap.HodgesLehmannInterval(new WalshAverages(Autocorrelated(seed)), 0.95, 1000, seed);
            return low <= 0 && 0 <= high;
        });
        Assert.True(covered / (double)Series >= 0.80, $"the joined interval covered {covered / (double)Series:P1}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval()
    {
        var walsh = new WalshAverages(Autocorrelated(7));
        Assert.Equal(PairedBootstrap.HodgesLehmannInterval(walsh, 0.95, 500, 11), PairedBootstrap.HodgesLehmannInterval(walsh, 0.95, 500, 11));
    }
}
