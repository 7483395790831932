using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Statistics;

/// <summary>Where a series of log ratios moved: found where it did, rarely where it did not.</summary>
public class ChangePointsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Series = 300, Pairs = 60;
    private static readonly double MinShift = Math.Log(1.02);

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    /// <summary>Log ratios of pairs on a machine with σ per run and 5% spikes of +10%, centred on <paramref name="level"/> up to pair <paramref name="stepAt"/> and on <paramref name="after"/> from there.</summary>
    private static double[] Noisy(int seed, double sigma, double level, double? after = null, int stepAt = Pairs, double keep = 0)
    {
        var random = new Random(seed);
        double state = 0;
        return Enumerable.Range(0, Pairs).Select(i =>
        {
            state = keep * state + Gaussian(random) * sigma * Math.Sqrt(2);
            double spike = random.NextDouble() < 0.05 ? Math.Log(1.10) : 0;
            return (i < stepAt ? level : after ?? level) + state + spike;
        }).ToArray();
    }

    [Theory]
    [Trait("Category", "Simulation")]
    [InlineData(0.01, 0.0, 0.03)]
    [InlineData(0.03, 0.0, 0.03)]
    [InlineData(0.15, 0.0, 0.03)]
    // Noise that persists for a few pairs: the block permutations keep most of it from passing for a move.
    [InlineData(0.02, 0.3, 0.05)]
    public void A_series_that_never_moved_is_rarely_split(double sigma, double keep, double atMost)
    {
        int split = Enumerable.Range(0, Series).AsParallel().Count(seed => ChangePoints.Find(Noisy(seed, sigma, -0.05, keep: keep), MinShift).Count > 0);
        output.WriteLine($"σ = {sigma}, AR {keep}: {split} of {Series} stationary series split");
        Assert.True(split / (double)Series <= atMost, $"σ = {sigma}, AR {keep}: {split} of {Series} stationary series split");
    }

    [Fact]
    [Trait("Category", "Simulation")]
    public void A_move_from_38_to_3_percent_is_found_where_it_happened()
    {
        var found = Enumerable.Range(0, Series).AsParallel()
            .Select(seed => ChangePoints.Find(Noisy(seed, 0.02, -Math.Log(1.38), -Math.Log(1.03), stepAt: 20), MinShift)).ToList();
        int near = found.Count(f => f.Count == 1 && Math.Abs(f[0] - 20) <= 2);
        Assert.True(near / (double)Series >= 0.95, $"{near} of {Series} found the one move at pair 20 ± 2");
    }

    [Fact]
    public void A_move_smaller_than_the_shift_that_matters_is_no_regime()
    {
        // 1% on a quiet machine is plain to see, and too small to change what a claim means.
        var series = Noisy(5, 0.001, -0.05, -0.04, stepAt: 30);
        Assert.Empty(ChangePoints.Find(series, MinShift));
        Assert.InRange(Assert.Single(ChangePoints.Find(series, Math.Log(1.005))), 27, 33);
    }

    [Fact]
    public void Two_moves_make_three_segments_of_at_least_the_least_length()
    {
        var series = Enumerable.Range(0, Pairs).Select(i => i < 20 ? -0.3 : i < 40 ? -0.03 : -0.3).Select((x, i) => x + 0.001 * Math.Sin(i)).ToArray();
        Assert.Equal([20, 40], ChangePoints.Find(series, MinShift));
        Assert.Empty(ChangePoints.Find(series.Take(2 * ChangePoints.MinSegment - 1).ToArray(), MinShift));
    }
}
