using AutoPass.Core.Statistics;

namespace AutoPass.Core.Search;

/// <summary>
/// Whether a race near the end of the time budget has room for one more entrant: after entering it (a build and an
/// output check, as long as the race's entrants took so far on average), the rounds of the entrants and the baseline
/// must still reach the first screening cut (<see cref="RaceLooks.FewestPairs"/> rounds). An entrant the budget stops
/// before then was built and checked for nothing.
/// </summary>
internal static class RaceRoom
{
    /// <param name="timeLeft">The time left of the budget.</param>
    /// <param name="enterSeconds">Seconds one entry took on average in this race so far.</param>
    /// <param name="entrants">Entrants the race has (timed ones, not the proposals settled without timing).</param>
    /// <param name="armSeconds">Seconds of one run of every benchmark (the baseline's, from the calibration).</param>
    public static bool HasRoomForAnother(TimeSpan timeLeft, double enterSeconds, int entrants, double armSeconds) =>
        timeLeft.TotalSeconds - enterSeconds >= RaceLooks.FewestPairs * (entrants + 2) * armSeconds;
}
