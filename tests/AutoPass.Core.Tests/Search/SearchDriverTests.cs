using AutoPass.Core.Check;
using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Search;
using AutoPass.Core.Tests.Compilers;

namespace AutoPass.Core.Tests.Search;

/// <summary>How the search loop forms races: topped up past candidates settled without timing, within the budget.</summary>
[Trait("Category", "Real")]
public sealed class SearchDriverTests
{
    /// <summary>Proposes -fcandidate-1, -fcandidate-2, ... in order, each once.</summary>
    private sealed class Numbered : ICandidateSource
    {
        public string Name => "numbered";

        public Task<IReadOnlyList<Candidate>> ProposeAsync(SearchState state, int count, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Candidate>>(Enumerable.Range(1, 1000).Select(i => new Candidate([$"-fcandidate-{i}"], Name))
                .Where(c => !state.WasTried(c.Flags)).Take(count).ToList());
    }

    private static async Task<SearchDriver> DriverAsync(List<TrialRecord> trials, SearchBudget budget)
    {
        var catalog = await CompilerProbe.CatalogAsync(await InstalledCompilers.Gcc(), ["-O3"]);
        return new SearchDriver([new Numbered()], catalog, new FlagPolicy(new PolicyOptions(), catalog), ["-O3"], seed: 1, trials, budget);
    }

    /// <summary>
    /// The search loop as the session runs it: each batch's candidates entered (<paramref name="enter"/>: raced or not),
    /// then its race (<paramref name="race"/>: the trials that come back), then those recorded. Returns the batches.
    /// </summary>
    /// <param name="groupSize">Candidates handed out at once before any is entered, as builds in several slots take them.</param>
    /// <param name="groups">Hears the size of each group handed out.</param>
    private static async Task<List<List<TrialRecord>>> LoopAsync(SearchDriver driver, int raceSize, Func<int, Candidate, TrialRecord> enter,
        Func<List<TrialRecord>, IReadOnlyList<TrialRecord>>? race = null, int groupSize = 1, List<int>? groups = null)
    {
        var batches = new List<List<TrialRecord>>();
        while (driver.NextBatch(raceSize) is { } batch)
        {
            var entered = new List<TrialRecord>();
            while (await batch.NextGroupAsync(groupSize, CancellationToken.None) is { Count: > 0 } group)
            {
                groups?.Add(group.Count);
                foreach (var next in group)
                {
                    var record = enter(next.Trial, next.Candidate);
                    entered.Add(record);
                    bool raced = record.BuildStatus == BuildStatus.Ok;
                    batch.Took(next.Trial, new SearchEntry(raced, Counts: raced));
                }
            }
            if (entered.Count == 0) break;
            batches.Add(entered);
            driver.Record(race is null ? entered : race(entered));
        }
        return batches;
    }

    private static TrialRecord Record(int trial, Candidate candidate, bool raced) => new()
    {
        Trial = trial, Phase = TrialPhase.Screen, Flags = candidate.Flags, Origin = candidate.Origin,
        BuildStatus = raced ? BuildStatus.Ok : BuildStatus.Reused, ReusedFrom = raced ? null : 0, OutputCheck = OutputCheckStatus.Equal,
    };

    private static TrialRecord Calibration => new()
    {
        Trial = 0, Phase = TrialPhase.Calibration, Flags = [], Origin = "calibration", BuildStatus = BuildStatus.Ok, OutputCheck = OutputCheckStatus.Equal,
    };

    /// <summary>Runs the driver with the candidates <paramref name="settled"/> says are settled without timing (identical binaries); returns the races.</summary>
    private static async Task<List<List<TrialRecord>>> RacesAsync(int raceSize, int maxTrials, Func<int, bool> settled) =>
        await LoopAsync(await DriverAsync([Calibration], new SearchBudget(maxTrials)), raceSize, (number, candidate) => Record(number, candidate, raced: !settled(number)));

    [Fact]
    public async Task Groups_built_at_once_never_overfill_a_race_or_the_trial_budget()
    {
        var groups = new List<int>();
        var races = await LoopAsync(await DriverAsync([Calibration], new SearchBudget(12)), raceSize: 5,
            (number, candidate) => Record(number, candidate, raced: number % 4 != 0), groupSize: 2, groups: groups);

        // Each group is handed out before any of it is entered, so a race with one place left gets a group of one.
        Assert.All(races, race => Assert.True(race.Count(t => t.BuildStatus == BuildStatus.Ok) <= 5, $"{race.Count} entrants"));
        Assert.Equal(5, races[0].Count(t => t.BuildStatus == BuildStatus.Ok));
        Assert.Contains(1, groups);
        Assert.Equal(12, races.SelectMany(r => r).Count(t => t.BuildStatus == BuildStatus.Ok));
        Assert.Equal(Enumerable.Range(1, races.Sum(r => r.Count)), races.SelectMany(r => r).Select(t => t.Trial));
    }

    [Fact]
    public async Task A_race_is_topped_up_past_candidates_settled_without_timing()
    {
        var races = await RacesAsync(raceSize: 4, maxTrials: 8, settled: n => n % 3 == 0);

        Assert.Equal(2, races.Count);
        Assert.All(races, race => Assert.Equal(4, race.Count(t => t.BuildStatus == BuildStatus.Ok)));
        Assert.Equal(Enumerable.Range(1, races.Sum(r => r.Count)), races.SelectMany(r => r).Select(t => t.Trial));
        Assert.Equal([1, 2, 3, 4, 5], races[0].Select(t => t.Trial));
    }

    [Fact]
    public async Task An_entrant_carried_on_to_the_next_race_is_not_proposed_again_and_holds_its_place_in_the_trial_budget()
    {
        var trials = new List<TrialRecord> { Calibration };
        var driver = await DriverAsync(trials, new SearchBudget(6));
        var proposed = new List<string>();
        TrialRecord? held = null;
        int races = 0;
        await LoopAsync(driver, raceSize: 4,
            (number, candidate) =>
            {
                proposed.Add(candidate.Key);
                return Record(number, candidate, raced: true);
            },
            entered =>
            {
                races++;
                var back = entered.ToList();
                // The first race's last entrant goes on in the second race, and comes back from there, first.
                if (races == 1) { held = back[^1]; back.RemoveAt(back.Count - 1); }
                else if (races == 2) back.Insert(0, held!);
                return back;
            });

        Assert.Equal(proposed.Count, proposed.Distinct().Count());
        // The second race took two new entrants, not three: the carried one held its place among the six trials.
        Assert.Equal([1, 2, 3, 4, 5, 6], trials.Skip(1).Select(t => t.Trial));
    }

    [Fact]
    public async Task A_race_whose_builds_take_half_the_time_left_is_run_with_the_entrants_built_so_far()
    {
        // A manual clock: 20 s of the 100 s are gone when the search starts, and each build takes 15 s.
        var elapsed = TimeSpan.FromSeconds(20);
        var driver = await DriverAsync([Calibration], new SearchBudget(200, TimeSpan.FromSeconds(100), () => elapsed));
        var races = await LoopAsync(driver, raceSize: 8,
            (number, candidate) =>
            {
                elapsed += TimeSpan.FromSeconds(15);
                return Record(number, candidate, raced: true);
            },
            entered =>
            {
                elapsed += TimeSpan.FromSeconds(10); // the race's rounds
                return entered;
            });

        // 80 s were left at the first race: it starts once under 40 s are left (after three builds, at 65 s), not when the
        // time is up (six builds, past 100 s, when the session would cut the race unrun). The next one is cut short the same way.
        Assert.Equal(3, races[0].Count);
        Assert.Equal([3, 1], races.Select(r => r.Count));
    }

    [Fact]
    public async Task A_race_never_takes_more_entrants_than_the_trials_left()
    {
        var races = await RacesAsync(raceSize: 8, maxTrials: 5, settled: _ => false);

        Assert.Equal([5], races.Select(r => r.Count));
    }

    [Fact]
    public async Task When_every_proposal_repeats_known_binaries_a_race_stops_at_its_proposal_limit()
    {
        var races = await RacesAsync(raceSize: 2, maxTrials: 3, settled: _ => true);

        // Four proposals per place, until the overall cap of proposals per trial ends the search.
        int cap = SearchBudget.ProposalsPerTrial * 3, perRace = SearchDriver.ProposalsPerEntrant * 2;
        var expected = Enumerable.Repeat(perRace, cap / perRace).Concat(cap % perRace > 0 ? [cap % perRace] : Array.Empty<int>());
        Assert.Equal(expected, races.Select(r => r.Count));
        Assert.All(races.SelectMany(r => r), t => Assert.Equal(BuildStatus.Reused, t.BuildStatus));
    }

    [Fact]
    public async Task With_a_race_size_of_one_every_proposal_is_its_own_race()
    {
        var races = await RacesAsync(raceSize: 1, maxTrials: 4, settled: n => n % 2 == 0);

        Assert.All(races, race => Assert.Single(race));
        Assert.Equal(4, races.Count(r => r[0].BuildStatus == BuildStatus.Ok));
    }
}
