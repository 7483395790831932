using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Statistics;

public class WalshAveragesTests
{
    private static double BruteForceHodgesLehmann(IReadOnlyList<double> x)
    {
        var averages = new List<double>();
        for (int i = 0; i < x.Count; i++)
            for (int j = i; j < x.Count; j++)
                averages.Add((x[i] + x[j]) / 2);
        averages.Sort();
        int m = averages.Count;
        return m % 2 == 1 ? averages[m / 2] : (averages[m / 2 - 1] + averages[m / 2]) / 2;
    }

    [Fact]
    public void The_median_is_the_hodges_lehmann_estimate()
    {
        double[] x = [0.3, -1.2, 4.0, 0.0, 2.5, 0.7];
        Assert.Equal(BruteForceHodgesLehmann(x), new WalshAverages(x).Median, 12);
        Assert.Equal(7.0, new WalshAverages([7.0]).Median);
    }

    [Fact]
    public void A_resampled_median_equals_the_hodges_lehmann_estimate_of_the_expanded_resample()
    {
        var random = new Random(4);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = random.Next(1, 25);
            var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
            var counts = new int[n];
            for (int i = 0; i < n; i++) counts[random.Next(n)]++;
            var expanded = Enumerable.Range(0, n).SelectMany(i => Enumerable.Repeat(x[i], counts[i])).ToArray();
            Assert.Equal(BruteForceHodgesLehmann(expanded), new WalshAverages(x).ResampledMedian(counts), 12);
        }
    }

    [Fact]
    public void Signed_rank_bounds_match_the_exact_textbook_interval()
    {
        // n = 10 at 95%: P(W+ ≤ 8) = 0.0244 ≤ 0.025 < P(W+ ≤ 9), so the bounds are the 9th smallest and
        // 9th largest of the 55 Walsh averages (R: wilcox.test(x, conf.int = TRUE) gives the same).
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        var walsh = new WalshAverages(x);
        var (low, high) = SignedRankBounds.Interval(walsh, 0.95);
        Assert.Equal(walsh.Sorted[8], low);
        Assert.Equal(walsh.Sorted[55 - 9], high);
        Assert.Equal(0.0244140625, SignedRankBounds.NullCdf(10)[8], 10);
    }

    [Fact]
    public void Too_few_pairs_give_no_signed_rank_bound()
    {
        // With 4 pairs the most extreme outcome has probability 1/16 > 2.5%: nothing can be excluded.
        var (low, high) = SignedRankBounds.Interval(new WalshAverages([0.1, 0.2, 0.3, 0.4]), 0.95);
        Assert.Equal(double.NegativeInfinity, low);
        Assert.Equal(double.PositiveInfinity, high);
    }
}
