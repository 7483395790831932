using AutoPass.Core.Statistics;

namespace AutoPass.Core.Evidence;

/// <summary>What the search spent: candidates timed, races run, pairs each took, builds and their seconds, wall time.</summary>
/// <param name="MeasuredCandidates">Screening trials timed against the baseline (not counting reused identical binaries).</param>
/// <param name="MedianPairs">Median pairs per measured candidate.</param>
/// <param name="Builds">Candidate builds (the baseline's not counted).</param>
/// <param name="BuildSeconds">Seconds the search spent building candidates, by the clock: builds run at once (build slots) are counted once.</param>
internal sealed record SearchCost(int MeasuredCandidates, int Races, double MedianPairs, int Builds, double BuildSeconds, double SearchSeconds)
{
    /// <param name="buildWallSeconds">Seconds during which this process built candidates, builds at once counted once; null: the sum of each build's seconds.</param>
    /// <param name="earlierBuildSeconds">Build seconds of trials an interrupted session measured before this process (part of <paramref name="trials"/>).</param>
    public static SearchCost Of(IReadOnlyList<TrialRecord> trials, int races, double searchSeconds, double? buildWallSeconds = null, double earlierBuildSeconds = 0)
    {
        var screened = trials.Where(t => t.Phase == TrialPhase.Screen).ToList();
        var pairs = screened.Where(t => t.Outcome() == TrialOutcome.Measured && t.Verdict is { Pairs: > 0 }).Select(t => (double)t.Verdict!.Pairs).ToList();
        double median = pairs.Count == 0 ? 0 : RobustSpread.Median(pairs);
        var built = screened.Where(t => t.BuildSeconds is not null).ToList();
        double buildSeconds = buildWallSeconds is { } wall ? earlierBuildSeconds + wall : built.Sum(t => t.BuildSeconds!.Value);
        return new SearchCost(pairs.Count, races, median, built.Count, Math.Round(buildSeconds, 1), Math.Round(searchSeconds, 1));
    }

    /// <summary>Seconds of candidate builds per measured candidate: what a timed candidate costs before it runs (0 when none was timed).</summary>
    public double BuildSecondsPerMeasured => MeasuredCandidates == 0 ? 0 : BuildSeconds / MeasuredCandidates;

    /// <summary>The cost in one sentence, as the summary, the report and the CI step summary give it.</summary>
    public string Sentence => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{MeasuredCandidates} candidates timed in {SearchSeconds / 60:0.#} min ({CandidatesPerMinute:0.#} a minute), {Races} races, median {MedianPairs:0.#} pairs each, " +
        $"{Builds} builds in {BuildSeconds:0} s ({BuildSecondsPerMeasured:0.#} s of building a timed candidate)");

    /// <summary>Measured candidates per minute of search.</summary>
    public double CandidatesPerMinute => SearchSeconds <= 0 ? 0 : MeasuredCandidates / (SearchSeconds / 60);
}
