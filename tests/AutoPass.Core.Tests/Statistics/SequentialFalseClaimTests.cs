using AutoPass.Core.Statistics;
using Xunit.Abstractions;

namespace AutoPass.Core.Tests.Statistics;

/// <summary>
/// False "faster" claims of the full sequential procedure (looks, Bonferroni confidence, δ rule, early and
/// futility stops) when the candidate is the baseline, on simulated machines with +6% drift halfway through.
/// </summary>
[Trait("Category", "Simulation")]
public class SequentialFalseClaimTests(ITestOutputHelper output)
{
    private const int Repetitions = 300;

    // Fewer resamples than the default keep 300 repetitions fast; the exact signed-rank bounds, joined to
    // the bootstrap's, keep the interval honest however coarse the bootstrap's tails are.
    private static readonly StatisticsOptions Options = new(Resamples: 500);

    private double ShareDecided(NoisyMachine machine, double speedup, SpeedupDecision decision, StatisticsOptions options) =>
        SequentialRun.ShareDecided(machine, speedup, decision, options, Repetitions, output.WriteLine);

    [Fact]
    public void No_difference_under_light_noise_and_drift_is_rarely_called_faster()
    {
        Assert.InRange(ShareDecided(NoisyMachine.Light, 1.0, SpeedupDecision.Faster, Options), 0, 0.05);
    }

    [Fact]
    public void No_difference_under_heavy_noise_and_drift_is_rarely_called_faster()
    {
        Assert.InRange(ShareDecided(NoisyMachine.Heavy, 1.0, SpeedupDecision.Faster, Options), 0, 0.05);
    }

    [Fact]
    public void No_difference_on_a_machine_as_noisy_as_the_worst_shared_vm_calibrations_is_rarely_called_faster()
    {
        // σ = 15% per run (robust CVs of 10-25% were seen in bench/ calibrations on the shared VM), at the
        // requested δ: the calibration no longer raises δ for noise alone, so the interval must carry it.
        Assert.InRange(ShareDecided(new NoisyMachine(0.15, 0.10, 0.30, 0.06), 1.0, SpeedupDecision.Faster, Options), 0, 0.05);
    }

    [Fact]
    public void Without_the_minimum_effect_the_corrected_looks_alone_keep_false_claims_at_the_nominal_rate()
    {
        // δ = 0 leaves only the Bonferroni looks between noise and a claim; one tail of a 95% budget is 2.5%.
        Assert.InRange(ShareDecided(NoisyMachine.Heavy, 1.0, SpeedupDecision.Faster, Options with { MinEffect = 0 }), 0, 0.05);
    }

    [Fact]
    public void Uncorrected_looks_without_a_minimum_effect_inflate_false_claims_so_the_harness_can_see_it()
    {
        // Looking at 95% every 5 pairs with δ = 0: the inflation the notes measured (about 18%). If this
        // ever passes below 5%, the simulated machine is too quiet to test the real procedure.
        var naive = Options with { MinEffect = 0, Resamples = 200 };
        int faster = Enumerable.Range(0, Repetitions).AsParallel().Count(seed =>
        {
            var (b, c) = NoisyMachine.Heavy.Take(1.0, naive.MaxPairs, 10_000 + seed);
            for (int n = naive.FirstLook; n <= naive.MaxPairs; n += naive.LookEvery)
            {
                var verdict = SpeedupStatistics.Decide(new PairedSamples(b[..n], c[..n]), naive, 0.95);
                if (verdict.Decision != SpeedupDecision.Inconclusive) return verdict.Decision == SpeedupDecision.Faster;
            }
            return false;
        });
        output.WriteLine($"naive looks: faster {faster / (double)Repetitions:P1}");
        Assert.True(faster > 0.05 * Repetitions, $"naive looks called {faster} of {Repetitions} identical programs faster");
    }
}
