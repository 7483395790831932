using MathNet.Numerics.Statistics;

namespace AutoPass.Core.Statistics;

/// <summary>Why an entrant left a race.</summary>
internal enum RaceExit
{
    /// <summary>Its own sequential test decided (faster, slower, or can no longer reach the minimum effect).</summary>
    Decided,

    /// <summary>Successive halving: undecided, behind the better half, and its estimate below the minimum effect.</summary>
    Dropped,

    /// <summary>The race ran out of pairs or time with it still undecided.</summary>
    Unfinished,
}

/// <summary>How one entrant left a race: its verdict at that look, and why.</summary>
internal sealed record RaceLeave(int Entrant, CombinedVerdict Verdict, RaceExit Exit);

/// <summary>
/// The looks of a race of many candidates against one baseline (F-race, successive halving): every entrant keeps its
/// own sequential test, so each verdict means what a single candidate's would; at each look the decided leave, and so
/// do undecided entrants that are both outside the better half and below the minimum effect, so the rounds go to the
/// entrants still worth telling apart. Leaving early can only cost an entrant a claim, never grant one; an entrant
/// that leaves undecided is "not shown faster" (the closest-candidate confirmation may still pick it).
/// </summary>
internal sealed class RaceLooks(SequentialSpeedupTest test, bool screeningCuts = true)
{
    public SequentialSpeedupTest Test { get; } = test;

    /// <summary>
    /// The entrants that leave at this look, given each active entrant's samples (all with the same number of rounds).
    /// Empty when the pairs are not at a look of the schedule.
    /// </summary>
    public IReadOnlyList<RaceLeave> Look(IReadOnlyDictionary<int, IReadOnlyList<BenchmarkSamples>> active)
    {
        if (active.Count == 0) return [];
        int pairs = active.Values.Min(b => b.Min(s => s.Samples.Count));
        var left = IsScreeningCutAt(pairs) ? ScreeningCut(active, pairs) : Test.IsLookAt(pairs) ? LookAt(active, pairs) : [];
        foreach (var leave in left) _leftWith[leave.Entrant] = leave.Verdict.Speedup;
        return left;
    }

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
        return leaving;
    }

    /// <summary>
    /// Rounds before the first look at which a race of more than two entrants drops its clearly-behind half: round
    /// <see cref="FewestPairs"/> (the first whose median one spike cannot move) and half-way from there to the first
    /// look. Most candidates are no faster than the baseline, so most of a race's runs went to entrants that the first
    /// look only confirms as losers.
    /// </summary>
    public bool IsScreeningCutAt(int pairs) =>
        screeningCuts && pairs < Test.Options.FirstLook && (pairs == FewestPairs || pairs == (FewestPairs + Test.Options.FirstLook) / 2);

    /// <summary>
    /// The fewest pairs that say anything about an entrant: the first screening cut's. An entrant the time budget stops
    /// with fewer was not measured; one with at least this many leaves measured, undecided.
    /// </summary>
    public const int FewestPairs = 3;

    /// <summary>
    /// One-sided z of a screening cut: an entrant leaves only when its median gain plus this many standard errors
    /// stays below the minimum effect.
    /// </summary>
    public const double ScreeningCutZ = 1.0;

    /// <summary>
    /// A cut before the first look: no verdict is taken (nothing can be claimed here, so no confidence is spent). An
    /// undecided entrant leaves, "not shown faster", when it is outside the better half and its median log gain is
    /// below the minimum effect by <see cref="ScreeningCutZ"/> standard errors. Three or five pairs cannot estimate an
    /// entrant's own spread, so the standard error pools the spread (MAD about each entrant's median) of every entrant
    /// in the race: they ran on the same machine in the same rounds. Medians, so one spike does not drop a winner.
    /// </summary>
    private List<RaceLeave> ScreeningCut(IReadOnlyDictionary<int, IReadOnlyList<BenchmarkSamples>> active, int pairs)
    {
        if (active.Count <= 2) return [];
        // Per entrant, per pair: the mean over benchmarks of ln(baseline / candidate), so faster is positive.
        var gains = active.ToDictionary(a => a.Key, a => Enumerable.Range(0, pairs)
            .Select(i => a.Value.Average(b => Math.Log(b.Samples.Baseline[i] / b.Samples.Candidate[i]))).ToArray());
        var medians = gains.ToDictionary(g => g.Key, g => ArrayStatistics.MedianInplace(g.Value.ToArray()));
        double pooledSd = 1.4826 * ArrayStatistics.MedianInplace(gains.SelectMany(g => g.Value.Select(x => Math.Abs(x - medians[g.Key]))).ToArray());
        // The median's standard error is about 1.25 times the mean's under normal noise.
        double standardError = 1.2533 * pooledSd / Math.Sqrt(pairs);
        double bar = Math.Log(1 + Test.Options.MinEffect) - ScreeningCutZ * standardError;
        int keep = (active.Count + 1) / 2;
        return medians.OrderByDescending(m => m.Value).ThenBy(m => m.Key).Skip(keep)
            .Where(m => m.Value < bar)
            .Select(m => new RaceLeave(m.Key, CombinedSpeedup.Decide(active[m.Key], Test.Options, Test.LookConfidence) with { Decision = SpeedupDecision.NotFaster }, RaceExit.Dropped))
            .OrderBy(l => l.Entrant)
            .ToList();
    }

    /// <summary>
    /// The race is stopped between looks (the time budget): every entrant still in leaves undecided, "not shown faster",
    /// whatever its interval says now, since a verdict is only taken at the schedule's looks (an extra look would spend
    /// confidence the schedule did not plan). Its estimate stays, so a fresh confirmation may still test it.
    /// </summary>
    public IReadOnlyList<RaceLeave> Stop(IReadOnlyDictionary<int, IReadOnlyList<BenchmarkSamples>> active) =>
        active.OrderBy(a => a.Key)
            .Select(a => new RaceLeave(a.Key, CombinedSpeedup.Decide(a.Value, Test.Options, Test.LookConfidence) with { Decision = SpeedupDecision.NotFaster }, RaceExit.Unfinished))
            .ToList();
}
