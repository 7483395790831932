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
    /// Runs candidates until the budget is used, the sources run dry, or <paramref name="runTrial"/> returns null.
    /// Each trial is added to <paramref name="trials"/> and counted before <paramref name="recorded"/> sees it.
    /// </summary>
    /// <returns>False when the sources had nothing new left to propose.</returns>
    public async Task<bool> RunAsync(List<TrialRecord> trials, SearchBudget budget, Func<Candidate, int, Task<TrialRecord?>> runTrial,
        Action<TrialRecord> recorded, CancellationToken ct)
    {
        int trialNumber = trials.Max(t => t.Trial) + 1;
        while (budget.AllowsAnother)
        {
            var state = new SearchState(catalog, policy, baselineFlags, trials, budget.TrialsLeft, seed);
            var candidate = await NextCandidateAsync(sources, state, ct);
            if (candidate is null) return false;
            if (await runTrial(candidate, trialNumber++) is not { } record) break;
            trials.Add(record);
            budget.Count(record);
            recorded(record);
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
