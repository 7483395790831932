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
internal sealed class RaceLooks(SequentialSpeedupTest test)
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
        if (!Test.IsLookAt(pairs)) return [];
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
        int keep = (undecided.Count + 1) / 2;
        foreach (var (entrant, verdict) in undecided.OrderByDescending(u => u.Verdict.Speedup).ThenBy(u => u.Entrant).Skip(keep))
            if (verdict.Speedup < 1 + Test.Options.MinEffect)
                leaving.Add(new RaceLeave(entrant, verdict with { Decision = SpeedupDecision.NotFaster }, RaceExit.Dropped));
        return leaving;
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
