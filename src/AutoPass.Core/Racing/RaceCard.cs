using System.Diagnostics;
using AutoPass.Core.Check;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Racing;

/// <summary>Where races run: the machine, the benchmarks, the baseline's programs, and the check of each entrant's first-round output.</summary>
internal sealed record RaceTrack(
    IArmRunner Runner, IReadOnlyList<BenchmarkSpec> Benchmarks, IReadOnlyDictionary<string, string> Baseline, string WorkingDirectory,
    Func<BenchmarkSpec, TimeSpan> Timeout, CheckRun? Check);

/// <summary>An entry still undecided when its race ended, going on in the next race with its pairs (<see cref="RaceOutcome.Carried"/>).</summary>
/// <param name="EnteredRace">The race it was entered in.</param>
internal sealed record CarriedEntrant<TEntry>(TEntry Entry, int EnteredRace, RaceEntrant Entrant);

/// <summary>How one entry came out of a race.</summary>
/// <param name="EnteredRace">The race it was entered in (an earlier one when it was carried over).</param>
/// <param name="Outcome">How it left the race; null when it was not timed: settled before the race, or a twin.</param>
/// <param name="TwinOf">The index in <see cref="RaceResult{TEntry}.Finished"/> of the entrant whose binaries it has, and whose outcome is its own.</param>
internal sealed record RaceFinish<TEntry>(TEntry Entry, int EnteredRace, RaceOutcome? Outcome, int? TwinOf = null);

/// <param name="Finished">The carried-over entries that finished in this race, then this race's entries in the order entered, but for those carried on.</param>
/// <param name="CarriedOn">The entries going on in the next race: pass them to its card.</param>
internal sealed record RaceResult<TEntry>(IReadOnlyList<RaceFinish<TEntry>> Finished, IReadOnlyList<CarriedEntrant<TEntry>> CarriedOn);

/// <summary>
/// The field of one screening race as the search fills it: every entry in order (settled ones too: rejected, failed or
/// reused, which the race does not time), the entrants among them (an entry whose binaries an entrant of this race has
/// is its twin, not timed twice), and the entrants carried over from earlier races, passed in. It says whether there is
/// room for another entrant in the time left, runs the race (<see cref="RaceLoop"/>) and hands out the entrants carried on.
/// </summary>
/// <param name="race">This race's number (1-based).</param>
/// <param name="armSeconds">Seconds of one run of every benchmark (the baseline's, from the calibration).</param>
internal sealed class RaceCard<TEntry>(int race, IReadOnlyList<CarriedEntrant<TEntry>> carried, double armSeconds)
{
    private sealed record Entry(TEntry Value, string? Fingerprint, RaceEntrant? Entrant, int? TwinOf);

    private readonly List<Entry> _entries = [];
    private Stopwatch? _firstEntry;

    public int Race => race;

    public IReadOnlyList<CarriedEntrant<TEntry>> Carried => carried;

    /// <summary>New entrants the race will time (not the carried ones).</summary>
    public int Entrants => _entries.Count(e => e.Entrant is not null);

    /// <summary>The entries the race will time, in the order entered.</summary>
    public IEnumerable<TEntry> EntrantEntries => _entries.Where(e => e.Entrant is not null).Select(e => e.Value);

    /// <summary>Enters one candidate; returns whether the race will time it.</summary>
    /// <param name="clock">Started when its entry began (its build): the race's entries are timed from the first one's.</param>
    /// <param name="fingerprint">Its binaries' fingerprint, when it was built and needs timing; null: settled without timing.</param>
    /// <param name="executables">Its executable per benchmark target, with <paramref name="fingerprint"/>.</param>
    public bool Enter(TEntry entry, Stopwatch clock, string? fingerprint = null, IReadOnlyDictionary<string, string>? executables = null)
    {
        _firstEntry ??= clock;
        int twin = fingerprint is null ? -1 : _entries.FindIndex(e => e.Entrant is not null && e.Fingerprint == fingerprint);
        bool entrant = fingerprint is not null && twin < 0;
        _entries.Add(new Entry(entry, fingerprint, entrant ? new RaceEntrant(executables!) : null, twin >= 0 ? twin : null));
        return entrant;
    }

    /// <summary>Seconds one entry took on average so far (its build and the proposals between).</summary>
    private double EnterSeconds => _entries.Count == 0 ? 0 : _firstEntry!.Elapsed.TotalSeconds / _entries.Count;

    /// <summary>Whether another entrant still fits in the time left (<see cref="RacePlan.HasRoomForAnother"/>); no time limit: yes.</summary>
    public bool HasRoomForAnother(TimeSpan? timeLeft) =>
        timeLeft is not { } left || _entries.Count == 0 || RacePlan.HasRoomForAnother(left, EnterSeconds, Entrants + carried.Count, armSeconds);

    /// <summary>
    /// Runs the race: this race's entrants and the carried-over ones (a race with no new entrant leaves those waiting for
    /// the next, when one may follow). With <paramref name="carry"/>, the last few undecided may go on in the next race
    /// (<see cref="RacePlan.CarriesOn"/>) when there is time for one of <paramref name="raceSize"/> entries, but an entrant
    /// with a twin here finishes here: its twin's record comes from it now.
    /// </summary>
    /// <param name="timeUp">Checked between rounds: the time budget.</param>
    /// <param name="carry">Whether the search will have a next race (null: none follows; every entrant, carried ones too, runs to its end here).</param>
    /// <param name="raceSize">The entries a next race takes: with their builds and its rounds to the first cut, it must fit the time left.</param>
    /// <param name="timeLeft">The time left of the budget, if any: entrants whose rounds cannot reach the first cut leave untimed.</param>
    /// <exception cref="AutoPassException">The baseline failed a run (AP2002).</exception>
    public async Task<RaceResult<TEntry>> RunAsync(RaceTrack track, RacePlan plan, int seed, Func<bool> timeUp, CancellationToken ct,
        Func<bool>? carry = null, int raceSize = 0, Func<TimeSpan?>? timeLeft = null)
    {
        var fresh = _entries.Select((e, i) => (Entry: e, Index: i)).Where(e => e.Entry.Entrant is not null).ToList();
        bool waiting = fresh.Count == 0 && carry is not null;
        // The carried-over entrants first (Index null), then this race's, each with its place among this race's entries.
        var runners = (waiting ? [] : carried).Select(c => (c.Entry, c.EnteredRace, c.Entrant, Index: (int?)null))
            .Concat(fresh.Select(f => (Entry: f.Entry.Value, EnteredRace: race, Entrant: f.Entry.Entrant!, Index: (int?)f.Index))).ToList();
        var finished = new List<RaceFinish<TEntry>>();
        var outcomes = new RaceOutcome?[_entries.Count];
        var carriedOn = waiting ? carried.ToList() : [];
        if (runners.Count > 0)
        {
            double enterSeconds = EnterSeconds;
            bool AnotherRaceFits() => timeLeft?.Invoke() is not { } left || RacePlan.HasRoomForAnother(left, enterSeconds * raceSize, raceSize, armSeconds);
            bool HasTwin(int? index) => index is { } i && _entries.Any(e => e.TwinOf == i);
            Func<int, bool>? mayCarry = carry is null ? null : r => !HasTwin(runners[r].Index) && carry() && AnotherRaceFits();
            var all = await RunLoopAsync(track, runners.Select(r => r.Entrant).ToList(), plan, seed, timeUp, mayCarry, timeLeft, ct);
            for (int r = 0; r < runners.Count; r++)
            {
                var (entry, enteredRace, entrant, index) = runners[r];
                if (all[r] is RaceOutcome.Carried { Pairs: var pairs }) carriedOn.Add(new CarriedEntrant<TEntry>(entry, enteredRace, entrant with { Carried = pairs }));
                else if (index is { } own) outcomes[own] = all[r];
                else finished.Add(new RaceFinish<TEntry>(entry, enteredRace, all[r]));
            }
        }
        var positions = new Dictionary<int, int>();
        for (int i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Entrant is not null && outcomes[i] is null) continue; // carried on
            positions[i] = finished.Count;
            var entry = _entries[i];
            finished.Add(new RaceFinish<TEntry>(entry.Value, race, outcomes[i], entry.TwinOf is { } twin ? positions[twin] : null));
        }
        return new RaceResult<TEntry>(finished, carriedOn);
    }

    private static async Task<IReadOnlyList<RaceOutcome>> RunLoopAsync(RaceTrack track, IReadOnlyList<RaceEntrant> entrants, RacePlan plan, int seed, Func<bool> timeUp,
        Func<int, bool>? mayCarry, Func<TimeSpan?>? timeLeft, CancellationToken ct)
    {
        try
        {
            return await new RaceLoop(track.Runner, seed).RunAsync(track.Benchmarks, track.Baseline, entrants, track.WorkingDirectory, track.Timeout,
                plan, timeUp, track.Check, ct, mayCarry, timeLeft);
        }
        catch (BenchmarkRunFailedException failure)
        {
            throw new AutoPassException(DiagnosticCode.BenchmarkFailed, $"The baseline failed during a race: {failure.Message}.",
                "A benchmark must run cleanly every time at the baseline flags; check that it does not depend on state a previous run left behind.");
        }
    }
}
