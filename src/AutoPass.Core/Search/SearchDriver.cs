using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Search;

/// <summary>
/// The search loop, and the one place that composes the strategies: ask the sources for the next untried
/// candidate, have it run, count it against the budget. The session runs candidates for real; replay feeds
/// back the recorded trials, so both make their decisions through this same loop.
/// </summary>
internal sealed class SearchDriver(IReadOnlyList<ICandidateSource> sources, FlagCatalog catalog, FlagPolicy policy, IReadOnlyList<string> baselineFlags, int seed)
{
    /// <summary>
    /// Runs candidates in batches of up to <paramref name="batchSize"/> until the budget is used, the sources run dry,
    /// or <paramref name="runBatch"/> returns null. A batch is proposed one candidate at a time, each proposal seeing
    /// the batch so far as tried. Each trial is added to <paramref name="trials"/> and counted before
    /// <paramref name="recorded"/> sees it.
    /// </summary>
    /// <returns>False when the sources had nothing new left to propose.</returns>
    public async Task<bool> RunAsync(List<TrialRecord> trials, SearchBudget budget, int batchSize,
        Func<IReadOnlyList<(int Trial, Candidate Candidate)>, Task<IReadOnlyList<TrialRecord>?>> runBatch, Action<TrialRecord> recorded, CancellationToken ct)
    {
        int trialNumber = trials.Max(t => t.Trial) + 1;
        while (budget.AllowsAnother)
        {
            var batch = new List<(int Trial, Candidate Candidate)>();
            int size = Math.Max(1, Math.Min(batchSize, Math.Min(budget.TrialsLeft, budget.ProposalsLeft)));
            while (batch.Count < size)
            {
                var pending = batch.Select(b => b.Candidate.Key).ToHashSet(StringComparer.Ordinal);
                var state = new SearchState(catalog, policy, baselineFlags, trials, budget.TrialsLeft - batch.Count, seed, pending);
                if (await NextCandidateAsync(sources, state, ct) is not { } candidate) break;
                batch.Add((trialNumber++, candidate));
            }
            if (batch.Count == 0) return false;
            if (await runBatch(batch) is not { } records) break;
            foreach (var record in records)
            {
                trials.Add(record);
                budget.Count(record);
                recorded(record);
            }
        }
        return true;
    }

    /// <summary>
    /// The search: combination of confident winners first, screening of the edits known to matter for the
    /// first half of the budget, then a bandit over screening, the agent stages
    /// (model-backed or built-in), mutation and parameter tuning; or plain random search as a yardstick.
    /// </summary>
    public static IReadOnlyList<ICandidateSource> Sources(SearchMode mode, ICandidateSource? agents) => mode switch
    {
        SearchMode.Random => [new RandomSearch()],
        _ => [new StrategyBandit(
            agents is null
                ? [new SingleFlagScreening(), new GroupMutation(), new ParameterTuning()]
                : [new SingleFlagScreening(), agents, new GroupMutation(), new ParameterTuning()],
            priority: new WinnerCombination(), opening: new SingleFlagScreening(promisingOnly: true))],
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
