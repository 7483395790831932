using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Search;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>
/// How a worker proposes a batch: the search of a single session, run over its class's shared history with every
/// candidate already proposed taken. Deterministic given the request's seed and that history, so a replay that gives it
/// the history a batch's proposer saw proposes the batch again.
/// </summary>
internal static class WorkerProposals
{
    /// <param name="calibration">The proposing worker's calibration trial (trial 0 of its search).</param>
    /// <param name="inFlight">Candidates other batches were racing: they hold their place in the trial budget.</param>
    public static async Task<IReadOnlyList<Candidate>> NextAsync(TuningRequest request, FlagCatalog catalog, FlagPolicy policy, TrialRecord calibration,
        IReadOnlyList<TrialRecord> history, IReadOnlySet<string> proposed, SearchBudget budget, CancellationToken ct)
    {
        var driver = new SearchDriver(SearchDriver.Sources(request.Search, agents: null), catalog, policy, request.BaselineFlags, request.Seed,
            [calibration, .. history], budget, proposed);
        if (driver.NextBatch(request.RaceSize) is not { } batch) return [];
        var proposals = new List<Candidate>();
        while (await batch.NextAsync(ct) is { } next)
        {
            proposals.Add(next.Candidate);
            batch.Took(next.Trial, new SearchEntry(Raced: true, Counts: true));
        }
        return proposals;
    }
}
