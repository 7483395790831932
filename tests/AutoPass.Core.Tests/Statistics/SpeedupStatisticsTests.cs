using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Statistics;

public class SpeedupStatisticsTests
{
    private static PairedSamples Synthetic(double trueRatio, double noise, int pairs, int seed)
    {
        var random = new Random(seed);
        var baseline = new double[pairs];
        var candidate = new double[pairs];
        for (int i = 0; i < pairs; i++)
        {
            double machine = 1 + 0.05 * random.NextDouble(); // shared by both arms of a pair
            baseline[i] = machine * Math.Exp(noise * Gaussian(random));
            candidate[i] = machine * trueRatio * Math.Exp(noise * Gaussian(random));
        }
        return new PairedSamples(baseline, candidate);
    }

    private static double Gaussian(Random r) =>
        Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    [Fact]
    public void A_clear_ten_percent_speedup_is_faster_with_an_interval_around_it()
    {
        var verdict = SpeedupStatistics.Estimate(Synthetic(1 / 1.10, 0.01, 30, 7), new StatisticsOptions());
        Assert.Equal(SpeedupDecision.Faster, verdict.Decision);
        Assert.InRange(verdict.Speedup, 1.08, 1.12);
        Assert.True(verdict.Low <= verdict.Speedup && verdict.Speedup <= verdict.High);
        Assert.InRange(1.10, verdict.Low, verdict.High);
    }

    [Fact]
    public void Identical_programs_are_never_called_faster()
    {
        int faster = 0;
        for (int seed = 0; seed < 200; seed++)
            if (SpeedupStatistics.Estimate(Synthetic(1.0, 0.02, 20, seed), new StatisticsOptions(Resamples: 1000)).Decision == SpeedupDecision.Faster)
                faster++;
        Assert.True(faster <= 10, $"{faster} of 200 identical pairs were called faster");
    }

    [Fact]
    public void The_same_samples_give_the_same_interval()
    {
        var samples = Synthetic(0.97, 0.02, 25, 3);
        Assert.Equal(SpeedupStatistics.Estimate(samples, new StatisticsOptions()), SpeedupStatistics.Estimate(samples, new StatisticsOptions()));
    }
}
