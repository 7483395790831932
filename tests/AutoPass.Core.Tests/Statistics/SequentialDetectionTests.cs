using AutoPass.Core.Statistics;
using Xunit.Abstractions;

namespace AutoPass.Core.Tests.Statistics;

/// <summary>
/// How often the full sequential procedure finds true speedups, on a simulated machine with light noise,
/// spikes and +6% drift halfway through.
/// </summary>
[Trait("Category", "Simulation")]
public class SequentialDetectionTests(ITestOutputHelper output)
{
    private const int Repetitions = 300;

    // Fewer resamples than the default keep 300 repetitions fast; the exact signed-rank bounds, joined to
    // the bootstrap's, keep the interval honest however coarse the bootstrap's tails are.
    private static readonly StatisticsOptions Options = new(Resamples: 500);

    private double ShareDecided(NoisyMachine machine, double speedup, SpeedupDecision decision, StatisticsOptions options) =>
        SequentialRun.ShareDecided(machine, speedup, decision, options, Repetitions, output.WriteLine);

    [Fact]
    public void A_true_five_percent_speedup_is_found_nearly_always()
    {
        Assert.InRange(ShareDecided(NoisyMachine.Light, 1.05, SpeedupDecision.Faster, Options), 0.95, 1);
    }

    [Fact]
    public void A_true_two_percent_speedup_is_found_most_of_the_time_under_light_noise()
    {
        Assert.InRange(ShareDecided(NoisyMachine.Light, 1.02, SpeedupDecision.Faster, Options), 0.70, 1);
    }
}
