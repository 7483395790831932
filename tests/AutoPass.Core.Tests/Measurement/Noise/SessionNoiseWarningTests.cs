using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement.Noise;
using AutoPass.Core.Statistics;
using AutoPass.Core.Tests.Statistics;

namespace AutoPass.Core.Tests.Measurement.Noise;

/// <summary>A noisy machine is one warning per session, however many benchmarks and arms were noisy.</summary>
public class SessionNoiseWarningTests
{
    private static readonly StatisticsOptions Options = new(Resamples: 1000);

    private static (string, NoiseProfile) Profile(string benchmark, NoisyMachine machine, int seed)
    {
        var (b, c) = machine.Take(1.0, 20, seed);
        return (benchmark, NoiseCalibration.Analyze(new PairedSamples(b, c), Options));
    }

    private static NoiseReview Review(params (string Benchmark, NoiseProfile Profile)[] profiles) =>
        new(Options, profiles, profiles.SelectMany(p => p.Profile.Warnings.Select(w => w with { Message = $"{p.Benchmark}: {w.Message}" })).ToList());

    [Fact]
    public void Findings_on_three_benchmarks_make_one_warning_that_says_what_the_machine_resolves_and_what_to_do()
    {
        var review = Review(Profile("matmul", NoisyMachine.Heavy, 1), Profile("stencil", NoisyMachine.Heavy, 2), Profile("pointer_chase", NoisyMachine.Heavy, 3));
        Assert.True(review.Warnings.Count >= 3, string.Join(" | ", review.Warnings));

        var warning = review.SessionWarning("obj/autopass/summary.txt");

        Assert.NotNull(warning);
        Assert.Equal(DiagnosticCode.NoisyMachine, warning.Code);
        Assert.Contains($"{review.Warnings.Count} findings in matmul, stencil, pointer_chase", warning.Message);
        double resolvable = review.Profiles.Max(p => p.Profile.ResolvableEffect);
        Assert.Contains($"resolves speedups of about {NoiseCalibration.Percent(resolvable)} with {Options.MaxPairs} pairs", warning.Message);
        Assert.Contains("run on an idle machine", warning.Message);
        Assert.Contains("Each finding: obj/autopass/summary.txt", warning.Message);
    }

    [Fact]
    public void A_quiet_machine_gets_no_warning()
    {
        var review = Review(Profile("matmul", new NoisyMachine(0.005, 0, 0), 1));
        Assert.Empty(review.Warnings);
        Assert.Null(review.SessionWarning("summary.txt"));
    }
}
