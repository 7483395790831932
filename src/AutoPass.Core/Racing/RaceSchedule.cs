using AutoPass.Core.Statistics;

namespace AutoPass.Core.Racing;

/// <summary>
/// The sequential schedule of a race's entrants, chosen once from the A/A calibration, before any candidate ran.
/// A race is breadth first: where the machine resolves the minimum effect within <see cref="ShortMaxPairs"/> pairs, an
/// entrant still undecided by then sits within a hair of it, and the rounds are worth more to the next batch (the
/// closest-candidate confirmation still gets its full fresh measurement). There the looks come at 8, 12, 16 and 20
/// pairs: fewer looks split the confidence fewer ways (Bonferroni), so the schedule's bound on false claims is what
/// the longer one's is, and 8 pairs is the fewest at which the signed-rank interval can exclude no change at a look's
/// confidence. A noisier machine keeps the screening's longer schedule, where stopping early would miss real gains.
/// </summary>
internal static class RaceSchedule
{
    public const int FirstLook = 8, LookEvery = 4, ShortMaxPairs = 20;

    /// <param name="screening">The screening's options (one candidate at a time).</param>
    /// <param name="logRatioSpread">The A/A calibration's robust spread of per-pair log ratios, the noisiest benchmark's; null when unknown.</param>
    public static StatisticsOptions For(StatisticsOptions screening, double? logRatioSpread)
    {
        var quick = Short(screening);
        return logRatioSpread is { } spread && ResolvesMinEffect(quick, spread) ? quick : screening;
    }

    /// <summary>The short schedule (never later or sparser than <paramref name="screening"/>'s own).</summary>
    public static StatisticsOptions Short(StatisticsOptions screening) => screening with
    {
        FirstLook = Math.Min(screening.FirstLook, FirstLook),
        LookEvery = Math.Min(screening.LookEvery, LookEvery),
        MaxPairs = Math.Min(screening.MaxPairs, ShortMaxPairs),
    };

    /// <summary>Whether an interval at the schedule's last look is expected to be no wider, each side, than the minimum effect.</summary>
    public static bool ResolvesMinEffect(StatisticsOptions schedule, double logRatioSpread) =>
        new SequentialSpeedupTest(schedule).HalfWidthAtLastLook(logRatioSpread) <= Math.Log(1 + schedule.MinEffect);
}
