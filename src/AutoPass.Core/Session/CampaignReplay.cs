using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Search;
using AutoPass.Core.Workload;
using Npgsql;

namespace AutoPass.Core.Session;

/// <summary>
/// Replays a workers' campaign from the trial store: each batch, in the order it was proposed, is proposed again from
/// the history its proposer saw (the trials, the candidates already proposed, those in flight, kept with the batch),
/// less what batches proposed meanwhile took (the store's keys settled that), and compared with the batch's candidates.
/// No build, measurement or worker is needed.
/// </summary>
internal static class CampaignReplay
{
    /// <summary>A batch as the store keeps it: its class and proposer, what the proposer's search saw, its candidates' keys in trial order.</summary>
    private sealed record RecordedBatch(long Id, string MachineClass, string ProposedBy, int[]? SeenTrials, long SeenBatch, int SeenInFlight, List<string> Keys);

    /// <param name="catalogOf">The catalog of the compiler at a path (the proposer's, as its compiler line names it), probed on this machine.</param>
    public static async Task<ReplayOutcome> RunAsync(TuningRequest request, Func<string, Task<FlagCatalog>> catalogOf, TrialStore store, CancellationToken ct)
    {
        using var connection = store.DataSource.OpenConnection();
        var batches = Batches(connection, store.Campaign);
        if (batches.Count == 0)
            throw new AutoPassException(DiagnosticCode.WorkersCampaignWithoutBatches, $"No worker of campaign '{store.Campaign}' in {store.Address} proposed a batch: there is no decision to replay.",
                "Let the workers run until they record trials, or name the campaign they worked on (--campaign).");
        int decisions = 0, matched = 0;
        string? divergence = null;
        foreach (var byClass in batches.GroupBy(b => b.MachineClass))
        {
            var trials = Lines(connection, store.Campaign, "machine_class = @filter AND line_type = 'trial' AND line->>'phase' = 'screen'", byClass.Key)
                .OfType<TrialRecord>().DistinctBy(t => t.Trial).ToDictionary(t => t.Trial);
            var ordered = byClass.OrderBy(b => b.Id).ToList();
            foreach (var batch in ordered)
            {
                decisions += batch.Keys.Count;
                string where = $"batch {batch.Id} of class {batch.MachineClass}";
                if (batch.SeenTrials is null)
                {
                    divergence ??= $"{where}: the store does not keep what its proposer saw";
                    continue;
                }
                if (batch.SeenTrials.FirstOrDefault(n => !trials.ContainsKey(n)) is var lost and > 0)
                {
                    divergence ??= $"{where}: trial {lost}, which its proposer saw, is not in the store";
                    continue;
                }
                var history = batch.SeenTrials.Select(n => trials[n]).OrderBy(t => t.Trial).ToList();
                var proposed = ordered.Where(b => b.Id <= batch.SeenBatch).SelectMany(b => b.Keys).ToHashSet(StringComparer.Ordinal);
                var proposer = Lines(connection, store.Campaign, "worker = @filter", batch.ProposedBy);
                if (proposer.OfType<TrialRecord>().FirstOrDefault(t => t.Phase == TrialPhase.Calibration) is not { } calibration)
                {
                    divergence ??= $"{where}: its proposer's calibration ({batch.ProposedBy}) is not in the store";
                    continue;
                }
                if (proposer.OfType<CompilerLine>().LastOrDefault() is not { } compiler)
                {
                    divergence ??= $"{where}: its proposer's compiler ({batch.ProposedBy}) is not in the store";
                    continue;
                }
                var catalog = await catalogOf(compiler.Path);
                // A worker that tuned hot files searched a catalog without link-time optimization, as a session does.
                var searched = proposer.OfType<HotFilesLine>().Any() ? catalog.WithoutLinkTimeOptimization() : catalog;
                var budget = new SearchBudget(request.MaxTrials - batch.SeenInFlight);
                budget.CountAll(history);
                var proposals = await WorkerProposals.NextAsync(request, searched, new FlagPolicy(new PolicyOptions(request.AllowUnsafeMath, request.AllowMachineSpecific), searched),
                    calibration, history, proposed, budget, ct);
                // Batches proposed after the history was read took their candidates first: the store's keys dropped them from this one.
                var earlier = ordered.Where(b => b.Id < batch.Id).SelectMany(b => b.Keys).ToHashSet(StringComparer.Ordinal);
                var expected = proposals.Select(c => c.Key).Where(k => !earlier.Contains(k)).ToList();
                for (int i = 0; i < batch.Keys.Count; i++)
                {
                    if (i < expected.Count && expected[i] == batch.Keys[i]) matched++;
                    else divergence ??= $"{where}: the worker proposed '{batch.Keys[i]}', the replay '{(i < expected.Count ? expected[i] : "(nothing)")}'";
                }
            }
        }
        return new ReplayOutcome(decisions, matched, divergence);
    }

    private static List<RecordedBatch> Batches(NpgsqlConnection connection, string campaign)
    {
        var batches = new Dictionary<long, RecordedBatch>();
        using (var select = new NpgsqlCommand(
            $"SELECT id, machine_class, proposed_by, seen_trials, coalesce(seen_batch, 0), coalesce(seen_in_flight, 0) FROM {TrialStore.BatchesTable} WHERE campaign = @campaign ORDER BY id", connection))
        {
            select.Parameters.AddWithValue("campaign", campaign);
            using var reader = select.ExecuteReader();
            while (reader.Read())
                batches[reader.GetInt64(0)] = new RecordedBatch(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<int[]>(3), reader.GetInt64(4), reader.GetInt32(5), []);
        }
        using (var keys = new NpgsqlCommand($"SELECT batch_id, candidate_key FROM {TrialStore.CandidatesTable} WHERE campaign = @campaign ORDER BY trial", connection))
        {
            keys.Parameters.AddWithValue("campaign", campaign);
            using var reader = keys.ExecuteReader();
            while (reader.Read())
                if (batches.TryGetValue(reader.GetInt64(0), out var batch)) batch.Keys.Add(reader.GetString(1));
        }
        return [.. batches.Values];
    }

    private static IReadOnlyList<LedgerLine> Lines(NpgsqlConnection connection, string campaign, string filter, string value)
    {
        using var select = new NpgsqlCommand($"SELECT line::text FROM {TrialStore.LinesTable} WHERE campaign = @campaign AND {filter} ORDER BY seq", connection);
        select.Parameters.AddWithValue("campaign", campaign);
        select.Parameters.AddWithValue("filter", value);
        return TrialStore.ReadLines(select).Lines;
    }
}
