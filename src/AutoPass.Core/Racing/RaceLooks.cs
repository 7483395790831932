using AutoPass.Core.Statistics;
using MathNet.Numerics.Statistics;

namespace AutoPass.Core.Racing;

/// <summary>Why an entrant left a race.</summary>
internal enum RaceExit
{
    /// <summary>Its own sequential test decided (faster, slower, or can no longer reach the minimum effect).</summary>
    Decided,

    /// <summary>Undecided and clearly below the minimum effect before the first look, or at a look behind the better half and below it (successive halving).</summary>
    Dropped,

    /// <summary>The race ran out of pairs or time with it still undecided.</summary>
    Unfinished,

    /// <summary>Undecided and clearly short of a speedup the session has already shown (in an earlier race or this one).</summary>
    Outclassed,
}

/// <summary>How one entrant left a race: its verdict at that look, and why.</summary>
internal sealed record RaceLeave(int Entrant, CombinedVerdict Verdict, RaceExit Exit);

/// <summary>
/// The looks of a race of many candidates against one baseline (F-race, successive halving): every entrant keeps its
/// own sequential test, so each verdict means what a single candidate's would; at each look the decided leave, and so
/// do undecided entrants that are both outside the better half and below the minimum effect; before the first look,
/// entrants clearly below the minimum effect leave; at any round, entrants clearly short of a speedup the session has
/// already shown leave; so the rounds go to the entrants still worth telling apart.
/// Leaving early can only cost an entrant a claim, never grant one; an entrant that leaves undecided is "not shown
/// faster" (the closest-candidate confirmation may still pick it).
/// </summary>
/// <param name="calibrationSpread">The A/A calibration's per-pair spread of log ratios, for screening cuts with too few entrants to pool theirs.</param>
/// <param name="shownSpeedup">
/// The lower bound of the best speedup the session has shown so far (a screening verdict "faster"), if any: entrants
/// clearly short of it leave (<see cref="RaceExit.Outclassed"/>). Entrants shown faster in this race raise it.
/// </param>
internal sealed class RaceLooks(SequentialSpeedupTest test, bool screeningCuts = true, double? calibrationSpread = null, double? shownSpeedup = null)
{
    public SequentialSpeedupTest Test { get; } = test;

    /// <summary>
    /// The entrants that leave after this round, given each active entrant's samples. Entrants carried over from an
    /// earlier race have more pairs than the race's own: each entrant is looked at by its own number of pairs, with
    /// those at the same number (who ran the same rounds) judged together, so an entrant's looks are the ones its schedule
    /// plans however many races its pairs came from. Empty when no entrant is at a cut or look of the schedule.
    /// </summary>
    public IReadOnlyList<RaceLeave> Look(IReadOnlyDictionary<int, IReadOnlyList<BenchmarkSamples>> active)
    {
        var left = new List<RaceLeave>();
        var cohorts = active.GroupBy(a => PairsOf(a.Value)).OrderBy(c => c.Key).ToList();
        foreach (var cohort in cohorts)
        {
            var members = cohort.ToDictionary(a => a.Key, a => a.Value);
            var leaving = IsScreeningCutAt(cohort.Key) ? ScreeningCut(members, cohort.Key) : Test.IsLookAt(cohort.Key) ? LookAt(members, cohort.Key) : [];
            foreach (var leave in leaving)
            {
                _leftWith[leave.Entrant] = leave.Verdict.Speedup;
                if (leave.Verdict.Decision == SpeedupDecision.Faster) _shown = Math.Max(_shown ?? 0, leave.Verdict.Low);
            }
            left.AddRange(leaving);
        }
        foreach (var cohort in cohorts)
        {
            var staying = cohort.Where(a => !left.Any(l => l.Entrant == a.Key)).ToDictionary(a => a.Key, a => a.Value);
            left.AddRange(OutclassedCut(staying, cohort.Key));
        }
        return left;
    }

    /// <summary>An entrant's pairs so far (every benchmark has one per round).</summary>
    public static int PairsOf(IReadOnlyList<BenchmarkSamples> samples) => samples.Min(s => s.Samples.Count);

    private double? _shown = shownSpeedup;

    // The estimate each entrant left this race with: the halving at a look ranks the undecided among the whole field.
    private readonly Dictionary<int, double> _leftWith = [];

    private List<RaceLeave> LookAt(IReadOnlyDictionary<int, IReadOnlyList<BenchmarkSamples>> active, int pairs)
    {
        var leaving = new List<RaceLeave>();
        var undecided = new List<(int Entrant, CombinedVerdict Verdict)>();
        foreach (var (entrant, samples) in active.OrderBy(a => a.Key))
        {
            // What SequentialSpeedupTest.Look decides, keeping apart "ran out of pairs" from "decided".
            var verdict = CombinedSpeedup.Decide(samples, Test.Options, Test.LookConfidence);
            if (verdict.Decision != SpeedupDecision.Inconclusive) leaving.Add(new RaceLeave(entrant, verdict, RaceExit.Decided));
            else if (pairs >= Test.Options.MaxPairs) leaving.Add(new RaceLeave(entrant, verdict with { Decision = SpeedupDecision.NotFaster }, RaceExit.Unfinished));
            else undecided.Add((entrant, verdict));
        }
        // Successive halving: an undecided entrant below the minimum effect leaves when it is outside the better half of
        // the undecided, or of the race's whole field (those that left too, with the estimates they left with): a lone
        // straggler near no change, after the rest of its race was decided, would otherwise hold the race open to its
        // last look with one entrant in it, while the next batch waits.
        var field = _leftWith.Values.Concat(leaving.Select(l => l.Verdict.Speedup)).Concat(undecided.Select(u => u.Verdict.Speedup)).ToList();
        int keepOfField = (field.Count + 1) / 2, keep = (undecided.Count + 1) / 2;
        var ranked = undecided.OrderByDescending(u => u.Verdict.Speedup).ThenBy(u => u.Entrant).ToList();
        for (int rank = 0; rank < ranked.Count; rank++)
        {
            var (entrant, verdict) = ranked[rank];
            bool outsideBetterHalf = rank >= keep || field.Count(s => s > verdict.Speedup) >= keepOfField;
            if (outsideBetterHalf && verdict.Speedup < 1 + Test.Options.MinEffect)
                leaving.Add(new RaceLeave(entrant, verdict with { Decision = SpeedupDecision.NotFaster }, RaceExit.Dropped));
        }
        // An entrant left alone pays a baseline run for each of its own; below the minimum effect it sits within a hair
        // of it, so it leaves and the rounds go to the next race.
        var staying = undecided.Where(u => !leaving.Any(l => l.Entrant == u.Entrant)).ToList();
        if (staying is [var alone] && alone.Verdict.Speedup < 1 + Test.Options.MinEffect && field.Count > 1)
            leaving.Add(new RaceLeave(alone.Entrant, alone.Verdict with { Decision = SpeedupDecision.NotFaster }, RaceExit.Dropped));
        return leaving;
    }

    /// <summary>
    /// Rounds before the first look at which a race drops the entrants clearly below the minimum effect. Most candidates
    /// are no faster than the baseline, so most of a race's runs went to entrants that the first look only confirms as
    /// losers. On the short schedule (<see cref="RaceSchedule"/>: the calibration says the machine is quiet) every round
    /// from <see cref="FewestPairs"/> (the first whose median one spike cannot move) on; on a noisier machine's schedule
    /// only round <see cref="FewestPairs"/> and half-way to the first look, since each further cut is mostly another
    /// chance for a spike to drop a winner.
    /// </summary>
    public bool IsScreeningCutAt(int pairs) =>
        screeningCuts && pairs >= FewestPairs && pairs < Test.Options.FirstLook
        && (Test.Options.FirstLook <= RaceSchedule.FirstLook || pairs == FewestPairs || pairs == (FewestPairs + Test.Options.FirstLook) / 2);

    /// <summary>
    /// The fewest pairs that say anything about an entrant: the first screening cut's. An entrant the time budget stops
    /// with fewer was not measured; one with at least this many leaves measured, undecided.
    /// </summary>
    public const int FewestPairs = 3;

    /// <summary>
    /// One-sided z of a screening cut: an entrant leaves when its median gain plus this many standard errors stays
    /// below the minimum effect, wherever it ranks ...
    /// </summary>
    public const double ScreeningCutZ = 1.0;

    /// <summary>... or plus this many, when it is outside the race's better half.</summary>
    public const double ScreeningCutBehindZ = 0.5;

    /// <summary>
    /// A cut before the first look: no verdict is taken (nothing can be claimed here, so no confidence is spent). An
    /// undecided entrant leaves, "not shown faster", when its median log gain is clearly below the minimum effect:
    /// by <see cref="ScreeningCutZ"/> standard errors wherever it ranks, by <see cref="ScreeningCutBehindZ"/> outside
    /// the better half. Leaving can only cost a claim (a futility stop), and most entrants are no faster than the
    /// baseline, so a race whose entrants all sit near no change ends here. Medians, so one spike does not drop a winner.
    /// </summary>
    private List<RaceLeave> ScreeningCut(IReadOnlyDictionary<int, IReadOnlyList<BenchmarkSamples>> active, int pairs)
    {
        var gains = Gains(active, pairs);
        if (MedianStandardError(gains, pairs) is not { } standardError) return [];
        double minEffect = Math.Log(1 + Test.Options.MinEffect);
        int keep = (active.Count + 1) / 2;
        return gains.Select(g => (Entrant: g.Key, Median: ArrayStatistics.MedianInplace(g.Value.ToArray())))
            .OrderByDescending(m => m.Median).ThenBy(m => m.Entrant)
            .Where((m, rank) => m.Median < minEffect - (rank < keep ? ScreeningCutZ : ScreeningCutBehindZ) * standardError)
            .Select(m => LeaveUndecided(m.Entrant, active[m.Entrant], RaceExit.Dropped))
            .OrderBy(l => l.Entrant)
            .ToList();
    }

    /// <summary>
    /// Before the first look and between looks, an undecided entrant leaves when its median gain plus
    /// <see cref="OutclassedZ"/> standard errors stays below the lower bound of the best speedup already shown: the
    /// search is after something better than that, and an entrant clearly short of it would otherwise run to its own
    /// verdict on whether it beats the baseline. A futility stop like the screening cuts: it can only cost a claim.
    /// </summary>
    private List<RaceLeave> OutclassedCut(IReadOnlyDictionary<int, IReadOnlyList<BenchmarkSamples>> active, int pairs)
    {
        if (!screeningCuts || _shown is not { } shown || active.Count == 0 || pairs < FewestPairs || pairs >= Test.Options.MaxPairs) return [];
        var gains = Gains(active, pairs);
        if (MedianStandardError(gains, pairs) is not { } standardError) return [];
        double bar = Math.Log(shown) - OutclassedZ * standardError;
        return gains.Where(g => ArrayStatistics.MedianInplace(g.Value.ToArray()) < bar).OrderBy(g => g.Key)
            .Select(g => LeaveUndecided(g.Key, active[g.Key], RaceExit.Outclassed))
            .ToList();
    }

    /// <summary>
    /// One-sided z of the cut behind a speedup already shown: checked every round, so stricter than a screening cut's.
    /// </summary>
    public const double OutclassedZ = 2.0;

    /// <summary>An entrant leaving between looks: its estimate and interval as they stand, "not shown faster".</summary>
    private RaceLeave LeaveUndecided(int entrant, IReadOnlyList<BenchmarkSamples> samples, RaceExit exit) =>
        new(entrant, CombinedSpeedup.Decide(samples, Test.Options, Test.LookConfidence) with { Decision = SpeedupDecision.NotFaster }, exit);

    /// <summary>Per entrant, per pair: the mean over benchmarks of ln(baseline / candidate), so faster is positive.</summary>
    private static Dictionary<int, double[]> Gains(IReadOnlyDictionary<int, IReadOnlyList<BenchmarkSamples>> active, int pairs) =>
        active.ToDictionary(a => a.Key, a => Enumerable.Range(0, pairs)
            .Select(i => a.Value.Average(b => Math.Log(b.Samples.Baseline[i] / b.Samples.Candidate[i]))).ToArray());

    /// <summary>
    /// The standard error of one entrant's median gain. Three or five pairs cannot estimate an entrant's own spread; a
    /// field of entrants that ran in the same rounds can, and says how noisy the machine is now; one or two entrants
    /// fall back on the calibration's. Null when there is neither.
    /// </summary>
    private double? MedianStandardError(Dictionary<int, double[]> gains, int pairs)
    {
        double? spread = gains.Count > 2 ? PooledPairSpread(gains.Values) : calibrationSpread;
        return spread is { } sd ? RobustSpread.MedianStandardError * sd / Math.Sqrt(pairs) : null;
    }

    /// <summary>
    /// The robust spread of one pair's log gain, pooled over entrants that ran in the same rounds on the same machine:
    /// 1.4826 times the median absolute difference between two pairs of one entrant, over √2 (a difference of two pairs
    /// spreads √2 times as wide as one pair). That holds whatever the number of pairs, where deviations about a median
    /// of three are a third zeros (the median itself), which put the spread at half its size.
    /// </summary>
    internal static double PooledPairSpread(IEnumerable<double[]> gainsPerEntrant)
    {
        var differences = gainsPerEntrant.SelectMany(g => g.SelectMany((x, i) => g.Skip(i + 1).Select(y => Math.Abs(x - y)))).ToArray();
        return differences.Length == 0 ? 0 : RobustSpread.MadToSigma * ArrayStatistics.MedianInplace(differences) / Math.Sqrt(2);
    }

    /// <summary>
    /// The race is stopped between looks (the time budget): every entrant still in leaves undecided, "not shown faster",
    /// whatever its interval says now, since a verdict is only taken at the schedule's looks (an extra look would spend
    /// confidence the schedule did not plan). Its estimate stays, so a fresh confirmation may still test it.
    /// </summary>
    public IReadOnlyList<RaceLeave> Stop(IReadOnlyDictionary<int, IReadOnlyList<BenchmarkSamples>> active) =>
        active.OrderBy(a => a.Key)
            .Select(a => LeaveUndecided(a.Key, a.Value, RaceExit.Unfinished))
            .ToList();
}
