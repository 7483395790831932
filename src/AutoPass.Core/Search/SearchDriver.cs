using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Racing;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Search;

/// <summary>What entering a candidate came to: whether a race will time it, and whether it counts against the trial budget.</summary>
internal readonly record struct SearchEntry(bool Raced, bool Counts);

/// <summary>
/// The search loop, and the one place that composes the strategies: ask the sources for the next untried
/// candidate, have it run, count it against the budget. The session runs candidates for real; replay feeds
/// back the recorded trials, so both make their decisions through this same loop.
/// </summary>
internal sealed class SearchDriver(IReadOnlyList<ICandidateSource> sources, FlagCatalog catalog, FlagPolicy policy, IReadOnlyList<string> baselineFlags, int seed)
{
    /// <summary>
    /// Runs candidates in races of up to <paramref name="raceSize"/> entrants until the budget is used, the sources run
    /// dry, or <paramref name="runRace"/> returns null. Candidates are proposed one at a time, each proposal seeing the
    /// race so far as tried, and entered (<paramref name="enter"/>: gated, built, checked); a candidate whose binaries
    /// are known already is settled without timing, so the race is topped up with the next proposal (at most
    /// <see cref="ProposalsPerEntrant"/> proposals per place). With a race size of 1 every proposal is its own race.
    /// Each trial is added to <paramref name="trials"/> and counted before <paramref name="recorded"/> sees it. A race may
    /// return a trial later than the race it was entered in (an entrant carried over to the next race): until then its
    /// candidate stays pending, so it is not proposed again, and it holds its place in the trial budget.
    /// </summary>
    /// <returns>False when the sources had nothing new left to propose.</returns>
    /// <param name="raceClosed">Checked once a race has an entrant: true runs it as it stands (a replay ends its races where the session did).</param>
    public async Task<bool> RunAsync(List<TrialRecord> trials, SearchBudget budget, int raceSize,
        Func<int, Candidate, Task<SearchEntry>> enter, Func<Task<IReadOnlyList<TrialRecord>?>> runRace, Action<TrialRecord> recorded, CancellationToken ct,
        Func<bool>? raceClosed = null)
    {
        int trialNumber = trials.Max(t => t.Trial) + 1;
        bool dry = false;
        // Proposals whose trial has not come back yet: this race's, and entrants carried on from earlier races.
        var awaiting = new Dictionary<int, (string Key, bool Counts)>();
        while (budget.AllowsAnother && !dry)
        {
            var race = new List<Candidate>();
            int entrants = 0, counted = awaiting.Values.Count(a => a.Counts);
            int maxProposals = raceSize == 1 ? 1 : Math.Min(budget.ProposalsLeft, ProposalsPerEntrant * raceSize);
            var timeLeftAtStart = budget.TimeLeft;
            bool HalfTheTimeBuilt() => RacePlan.BuildsTookHalfTheTime(timeLeftAtStart, budget.TimeLeft);
            while (entrants < raceSize && counted < budget.TrialsLeft && race.Count < maxProposals && !(race.Count > 0 && budget.TimeUsedUp)
                   && !(entrants > 0 && (HalfTheTimeBuilt() || raceClosed?.Invoke() == true)))
            {
                var pending = awaiting.Values.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
                var state = new SearchState(catalog, policy, baselineFlags, trials, budget.TrialsLeft - counted, seed, pending);
                if (await NextCandidateAsync(sources, state, ct) is not { } candidate) { dry = true; break; }
                race.Add(candidate);
                int number = trialNumber++;
                var entry = await enter(number, candidate);
                awaiting[number] = (candidate.Key, entry.Counts);
                if (entry.Raced) entrants++;
                if (entry.Counts) counted++;
            }
            if (race.Count == 0) break;
            if (await runRace() is not { } records) return true;
            foreach (var record in records)
            {
                awaiting.Remove(record.Trial);
                trials.Add(record);
                budget.Count(record);
                recorded(record);
            }
        }
        return !dry;
    }

    /// <summary>Proposals a race may take per place before it is run with fewer entrants (most proposals that repeat known binaries cost a build, not a run).</summary>
    public const int ProposalsPerEntrant = 4;

    /// <summary>
    /// The search: combination of confident winners first, screening of the edits known to matter for the
    /// first half of the budget (every fourth place going to a random group), then a bandit over screening, the
    /// agent stages (model-backed or built-in), mutation, random groups and parameter tuning; or plain random search
    /// as a yardstick.
    /// </summary>
    /// <param name="agentsUseModel">The agent stages are model-backed: they also take a place in the opening's races.</param>
    public static IReadOnlyList<ICandidateSource> Sources(SearchMode mode, ICandidateSource? agents, bool agentsUseModel = false) => mode switch
    {
        SearchMode.Random => [new RandomSearch()],
        _ => [new StrategyBandit(
            agents is null
                ? [new SingleFlagScreening(), new GroupMutation(), RandomSearch.Groups(), new ParameterTuning()]
                : [new SingleFlagScreening(), agents, new GroupMutation(), RandomSearch.Groups(), new ParameterTuning()],
            priority: new WinnerCombination(), opening: new SingleFlagScreening(promisingOnly: true), explorer: RandomSearch.Groups(),
            guest: agentsUseModel ? agents : null)],
    };

    /// <summary>The first source (in order) with something new to offer.</summary>
    public static async Task<Candidate?> NextCandidateAsync(IReadOnlyList<ICandidateSource> sources, SearchState state, CancellationToken ct)
    {
        foreach (var source in sources)
        {
            var proposals = await source.ProposeAsync(state, 1, ct);
            var fresh = proposals.FirstOrDefault(p => p.Flags.Count > 0 && !state.WasTried(p.Flags));
            if (fresh is not null) return fresh;
        }
        return null;
    }
}
