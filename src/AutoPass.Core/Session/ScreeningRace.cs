using System.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Racing;
using AutoPass.Core.Search;

namespace AutoPass.Core.Session;

/// <summary>A candidate entered in a screening race: its trial as far as it got before the race, and the clock of its entry.</summary>
internal sealed record RaceEntry(TrialEvaluator.Prepared Prepared, Stopwatch Clock);

/// <summary>
/// One screening race of the search: each candidate is gated, built or reused (<see cref="TrialEvaluator"/>) and entered
/// on the race's card (<see cref="RaceCard{TEntry}"/>, which decides everything about the race); then the race runs and
/// its outcomes become trial records.
/// </summary>
/// <param name="numbered">The records say which race they were timed in (false: one candidate at a time, no races).</param>
internal sealed class ScreeningRace(TrialEvaluator evaluator, RaceCard<RaceEntry> card, bool numbered = true)
{
    public RaceCard<RaceEntry> Card => card;

    /// <summary>Gates, builds or reuses a candidate, and enters it on the card.</summary>
    public async Task<SearchEntry> EnterAsync(int trial, Candidate candidate, CancellationToken ct) => Enter(await PrepareAsync(trial, candidate, 0, ct));

    /// <summary>
    /// Gates, builds or reuses the candidates of a group at once, each in its own build slot, and enters them on the card in
    /// the order given; <paramref name="took"/> hears of each entry as it is made, with whether the card has room for another.
    /// </summary>
    public async Task EnterAllAsync(IReadOnlyList<(int Trial, Candidate Candidate)> group, Action<int, SearchEntry, bool> took, Func<bool> closes, CancellationToken ct)
    {
        var prepared = await Task.WhenAll(group.Select((g, slot) => PrepareAsync(g.Trial, g.Candidate, slot, ct)));
        for (int i = 0; i < group.Count; i++) took(group[i].Trial, Enter(prepared[i]), closes());
    }

    /// <summary>Gates, builds (in build slot <paramref name="slot"/>) or reuses a candidate, before it is entered.</summary>
    private async Task<RaceEntry> PrepareAsync(int trial, Candidate candidate, int slot, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        return new RaceEntry(await evaluator.PrepareAsync(trial, candidate, TrialPhase.Screen, clock, ct, slot: slot), clock);
    }

    /// <summary>Enters a prepared candidate on the card: a race entrant if it has binaries to time.</summary>
    private SearchEntry Enter(RaceEntry entry)
    {
        var prepared = entry.Prepared;
        bool raced = card.Enter(entry, entry.Clock, prepared.Ready is null ? null : prepared.Record.BinaryHash, prepared.Ready?.Executables);
        return new SearchEntry(raced, raced || prepared.Record.BuildStatus == BuildStatus.Failed);
    }

    /// <summary>
    /// Runs the race (<see cref="RaceCard{TEntry}.RunAsync"/>); returns the records of the carried-over entrants that
    /// finished in it, then of every candidate entered, in order, but for those carried on, whose records come from the
    /// race they finish in; and the entrants carried on, for the next race's card.
    /// </summary>
    public async Task<(IReadOnlyList<TrialRecord> Records, IReadOnlyList<CarriedEntrant<RaceEntry>> CarriedOn)> RunAsync(
        RacePlan plan, int seed, Func<bool> timeUp, CancellationToken ct, Func<bool>? carry = null, int raceSize = 0, Func<TimeSpan?>? timeLeft = null)
    {
        var result = await card.RunAsync(evaluator.Track, plan, seed, timeUp, ct, carry, raceSize, timeLeft);
        var records = new List<TrialRecord>();
        foreach (var (entry, enteredRace, outcome, twinOf) in result.Finished)
        {
            var (record, clock) = (entry.Prepared.Record, entry.Clock);
            records.Add((outcome, twinOf) switch
            {
                (_, { } twin) => evaluator.ReusingTwin(record, records[twin], clock),
                ({ } timed, _) => evaluator.Settled(record with
                {
                    Race = numbered ? enteredRace : null,
                    LeftRace = numbered && enteredRace != card.Race ? card.Race : null,
                    ElapsedSeconds = clock.Elapsed.TotalSeconds,
                }, timed),
                _ => record,
            });
        }
        return (records, result.CarriedOn);
    }
}
