using AutoPass.Core.Measurement;
using AutoPass.Core.Racing;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Racing;

/// <summary>
/// A confirmation's regimes from its pairs, as in the matrix kernel's confirmation that failed its recheck: the first
/// 20 pairs had the baseline at 0.52 s and the candidate at 0.38 s, the last 40 at 0.33 s against 0.315 s.
/// </summary>
public class RegimeDetectionTests
{
    private static readonly StatisticsOptions Options = new(Resamples: 1000);

    /// <param name="baselineCpu">The baseline's CPU seconds in the first and the later regime.</param>
    private static BenchmarkMeasurement Kernel((double First, double Later) baselineCpu, (double First, double Later) candidateCpu, int pairs = 60, int moveAt = 20)
    {
        var random = new Random(3);
        double Noise() => 1 + 0.01 * (random.NextDouble() - 0.5);
        var first = Enumerable.Range(0, pairs).Select(i => i < moveAt).ToList();
        return new BenchmarkMeasurement
        {
            Benchmark = "matmul",
            BaselineSeconds = first.Select(f => (f ? 0.52 : 0.33) * Noise()).ToList(),
            CandidateSeconds = first.Select(f => (f ? 0.38 : 0.315) * Noise()).ToList(),
            BaselineCpuSeconds = first.Select(f => (f ? baselineCpu.First : baselineCpu.Later) * Noise()).ToList(),
            CandidateCpuSeconds = first.Select(f => (f ? candidateCpu.First : candidateCpu.Later) * Noise()).ToList(),
        };
    }

    [Fact]
    public void The_claim_is_the_conservative_regime_and_its_pairs_and_times_are_named()
    {
        var analysis = RegimeDetection.Analyse([Kernel((0.50, 0.32), (0.37, 0.31))], Options);
        Assert.True(analysis.Moved);
        Assert.Equal([(1, 20), (21, 60)], analysis.Regimes.Select(r => (r.FirstPair, r.LastPair)));
        var claim = RegimeAwareConfirmation.Claim(analysis);
        Assert.Same(analysis.Regimes[1].Verdict, claim);
        Assert.InRange(claim.Speedup, 1.04, 1.06);
        Assert.InRange(analysis.Regimes[0].Verdict.Speedup, 1.35, 1.39);
        Assert.Equal(40, claim.Pairs);
        Assert.InRange(analysis.Regimes[0].Baseline.WallSeconds, 0.51, 0.53);
        Assert.InRange(analysis.Regimes[1].Baseline.WallSeconds, 0.32, 0.34);
    }

    [Fact]
    public void Cpu_time_that_moves_with_wall_time_is_named_as_dearer_work()
    {
        string text = RegimeDetection.Analyse([Kernel((0.50, 0.32), (0.37, 0.31))], Options).Explain();
        Assert.Contains("from pairs 1-20 (1.3", text);
        Assert.Contains("the baseline's wall time fell 37% and its CPU time fell 36%", text);
        Assert.Contains("the candidate's wall time fell 17% and its CPU time fell 16%", text);
        Assert.Contains("the work itself got dearer or cheaper", text);
    }

    [Fact]
    public void Wall_time_that_moves_without_cpu_time_is_named_as_a_busy_machine()
    {
        var kernel = Kernel((0.33, 0.33), (0.31, 0.31));
        kernel = kernel with { LoadAverage = Enumerable.Range(0, 60).Select(i => i < 20 ? 3.5 : 1.0).ToList() };
        string text = RegimeDetection.Analyse([kernel], Options).Explain();
        Assert.Contains("the baseline's wall time fell 37% and its CPU time held", text);
        Assert.Contains("the machine was busy and the runs waited", text);
        Assert.Contains("the machine's load average went from 3.5 to 1.0", text);
    }

    [Fact]
    public void An_effect_that_held_still_is_one_regime_with_the_whole_verdict()
    {
        var steady = Kernel((0.33, 0.33), (0.31, 0.31), moveAt: 0);
        var analysis = RegimeDetection.Analyse([steady], Options);
        Assert.False(analysis.Moved);
        var whole = CombinedSpeedup.Estimate([new BenchmarkSamples("matmul", steady.ObjectiveSamples())], Options);
        var claim = RegimeAwareConfirmation.Claim(analysis);
        Assert.Equal((whole.Speedup, whole.Low, whole.High, whole.Decision), (claim.Speedup, claim.Low, claim.High, claim.Decision));
        Assert.Equal(60, analysis.Conservative.Pairs);
    }

    [Fact]
    public void An_extension_appends_its_pairs_after_the_confirmations()
    {
        var first = Kernel((0.50, 0.32), (0.37, 0.31));
        var then = Kernel((0.33, 0.33), (0.31, 0.31), moveAt: 0);
        var both = RegimeAwareConfirmation.Append([first], [then]).Single();
        Assert.Equal(first.BaselineSeconds.Concat(then.BaselineSeconds), both.BaselineSeconds);
        Assert.Equal(first.CandidateCpuSeconds.Concat(then.CandidateCpuSeconds), both.CandidateCpuSeconds);
        Assert.Equal(120, both.ObjectiveSamples().Count);
    }
}
