using AutoPass.Core.Measurement;

namespace AutoPass.Core.Racing;

/// <summary>
/// One candidate in a race: its executable for each benchmark target, and when it was carried over from an earlier
/// race, its pairs from there (one recorder per benchmark, in the race's benchmark order; its output was checked there).
/// </summary>
internal sealed record RaceEntrant(IReadOnlyDictionary<string, string> Executables, IReadOnlyList<PairRecorder>? Carried = null);

/// <summary>How an entrant's race ended: one of a closed set, matched with a switch.</summary>
internal abstract record RaceOutcome
{
    private RaceOutcome() { }

    /// <summary>Timed: its samples and verdict, and why it left (<see cref="RaceLooks"/>).</summary>
    public sealed record Measured(MeasurementResult Result, RaceExit Exit) : RaceOutcome;

    /// <summary>One of its runs failed (non-zero exit, crash, time-out); no pair of it counts.</summary>
    public sealed record Failed(BenchmarkRunFailedException Failure) : RaceOutcome;

    /// <summary>Its first-round runs computed something other than the baseline's (how, in <paramref name="Message"/>); no pair of it counts.</summary>
    public sealed record WrongOutput(string Message) : RaceOutcome;

    /// <summary>Left undecided with few others still running, to go on in the next race with these pairs.</summary>
    public sealed record Carried(IReadOnlyList<PairRecorder> Pairs) : RaceOutcome;

    /// <summary>Its output passed the check, but the time budget stopped the race before it had <see cref="RaceLooks.FewestPairs"/> pairs.</summary>
    public sealed record Untimed : RaceOutcome;

    /// <summary>The time budget stopped the race before its first round: neither checked nor timed.</summary>
    public sealed record Unchecked : RaceOutcome;
}
