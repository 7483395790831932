using AutoPass.Core.Statistics;

namespace AutoPass.Core.Racing;

/// <summary>
/// Every knob of a race, decided once: the sequential schedule (from the A/A calibration), how many pairs at most,
/// whether and how many entrants may be carried on to the next race, and how many entrants fit the time left. The race
/// loop (<see cref="RaceLoop"/>) and the search ask it; nothing else decides about a race.
/// </summary>
/// <param name="Schedule">The sequential schedule every entrant is looked at by (<see cref="RaceSchedule"/>).</param>
/// <param name="CalibrationSpread">The A/A calibration's per-pair spread: a screening cut's spread with too few entrants to pool theirs.</param>
/// <param name="ShownSpeedup">The lower bound of the best speedup already shown, if any: entrants clearly short of it leave.</param>
/// <param name="ScreeningCuts">Whether entrants clearly short of the minimum effect, or of <paramref name="ShownSpeedup"/>, leave between looks.</param>
/// <param name="FixedPairs">Exactly this many pairs, no looks, and an estimate at the end (a confirmation); null: the looks decide.</param>
internal sealed record RacePlan(StatisticsOptions Schedule, double? CalibrationSpread = null, double? ShownSpeedup = null, bool ScreeningCuts = true, int? FixedPairs = null)
{
    /// <summary>
    /// Pairs at most per screening (and minimizing) measurement. Screening only has to tell promising candidates from
    /// the rest, cheaply; the winner's figures come from the confirmation, which runs the full
    /// <see cref="StatisticsOptions.MaxPairs"/> afresh (successive halving, F-race).
    /// </summary>
    public const int ScreeningMaxPairs = 30;

    /// <summary>The screening's options: the session's, with at most <see cref="ScreeningMaxPairs"/> pairs.</summary>
    public static StatisticsOptions Screening(StatisticsOptions session) => session with { MaxPairs = Math.Min(session.MaxPairs, ScreeningMaxPairs) };

    /// <summary>A screening race: the schedule the calibration's spread allows (<see cref="RaceSchedule.For"/>).</summary>
    public static RacePlan ForScreening(StatisticsOptions session, double? calibrationSpread, double? shownSpeedup) =>
        new(RaceSchedule.For(Screening(session), calibrationSpread), calibrationSpread, shownSpeedup);

    /// <summary>
    /// A race of one candidate (a session that screens one at a time): the screening's full schedule and only its
    /// looks, so its verdict is the one sequential test of that candidate.
    /// </summary>
    public static RacePlan ForOne(StatisticsOptions session) => new(Screening(session), ScreeningCuts: false);

    /// <summary>
    /// A minimizing measurement, the set without a flag against the set with it: the screening's pairs in full. The looks'
    /// futility stop answers "can it be faster?", not minimization's "is it slower?": on lua it stopped such measurements at
    /// 10 pairs, 0.977x [0.953, 1.006], and the flags were dropped.
    /// </summary>
    public static RacePlan ForMinimizing(StatisticsOptions session) => new(Screening(session), ScreeningCuts: false, FixedPairs: Screening(session).MaxPairs);

    /// <summary>A fresh confirmation: the session's full <see cref="StatisticsOptions.MaxPairs"/> pairs, head to head.</summary>
    public static RacePlan ForConfirmation(StatisticsOptions session) => new(session, ScreeningCuts: false, FixedPairs: session.MaxPairs);

    /// <summary>Rounds the race runs at most.</summary>
    public int MaxRounds => FixedPairs ?? Schedule.MaxPairs;

    /// <summary>The looks each entrant gets, fresh for each race (they remember who left it, and with what).</summary>
    public RaceLooks Looks() => new(new SequentialSpeedupTest(Schedule), ScreeningCuts, CalibrationSpread, ShownSpeedup);

    /// <summary>How few of a race's entrants may be left running for them to go on in the next race instead: a quarter (one of a small race).</summary>
    public static int CarriedAtMost(int entrants) => Math.Max(1, entrants / 4);

    /// <summary>
    /// Whether the undecided entrants still running go on in the next race: a few of a bigger field (a lone entrant pays a
    /// baseline run for each of its own, where among a full race it pays an eighth of one), and every one of them allowed.
    /// </summary>
    public static bool CarriesOn(int running, int entrants, Func<int, bool>? mayCarry, IEnumerable<int> active) =>
        mayCarry is not null && running > 0 && running < entrants && running <= CarriedAtMost(entrants) && active.All(mayCarry);

    /// <summary>
    /// Whether a race near the end of the time budget has room for one more entrant: after entering it (a build and an
    /// output check, as long as the race's entries took so far on average), the rounds of the entrants, the newcomer
    /// and the baseline must still reach the first screening cut (<see cref="RaceLooks.FewestPairs"/> rounds). An
    /// entrant the budget stops before then was built and checked for nothing.
    /// </summary>
    /// <param name="enterSeconds">Seconds one entry took on average in this race so far.</param>
    /// <param name="entrants">Entrants the race has (timed ones, not the proposals settled without timing).</param>
    /// <param name="armSeconds">Seconds of one run of every benchmark (the baseline's, from the calibration).</param>
    public static bool HasRoomForAnother(TimeSpan timeLeft, double enterSeconds, int entrants, double armSeconds) =>
        timeLeft.TotalSeconds - enterSeconds >= RaceLooks.FewestPairs * (entrants + 2) * armSeconds;

    /// <summary>
    /// How many entrants of a race under way can still reach the first cut (<see cref="RaceLooks.FewestPairs"/> pairs)
    /// in the time left, at the pace of its last round: the rest would be stopped with too few pairs to say anything,
    /// and every entrant with them, as their runs slow the rounds of all. At least one.
    /// </summary>
    /// <param name="armSeconds">Seconds of one arm's runs in the last round (every benchmark once), on the machine as it is now.</param>
    /// <param name="pairs">Pairs the entrants have so far.</param>
    public static int EntrantsThatReachFirstCut(TimeSpan timeLeft, double armSeconds, int pairs)
    {
        int rounds = RaceLooks.FewestPairs - pairs;
        if (rounds <= 0 || armSeconds <= 0) return int.MaxValue;
        return Math.Max(1, (int)Math.Floor(timeLeft.TotalSeconds / (rounds * armSeconds)) - 1);
    }

    /// <summary>
    /// Builds take half the time left at most: where a build takes minutes (a whole project), a race of eight would
    /// otherwise spend the budget building and be cut before one round was timed.
    /// </summary>
    /// <param name="timeLeftAtStart">The time left when the race's first entry began.</param>
    public static bool BuildsTookHalfTheTime(TimeSpan? timeLeftAtStart, TimeSpan? timeLeft) =>
        timeLeftAtStart is { } start && timeLeft is { } now && now < start / 2;
}
