using System.Text.Json;
using AutoPass.Core.Agents.Replay;
using AutoPass.Core.Agents;
using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Search;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>How a replay went: how many of the recorded decisions the search made again, and the first it did not.</summary>
public sealed record ReplayOutcome(int Decisions, int Matched, string? FirstDivergence);

/// <summary>
/// Re-runs a session's decisions from its ledger without building, measuring or a model server: the recorded
/// trial outcomes are fed back in order, recorded model replies are served by a replay client, and each
/// candidate the search proposes is compared with the one the session recorded.
/// </summary>
public static class DecisionReplay
{
    public static async Task<ReplayOutcome> RunAsync(TuningRequest request, FlagCatalog catalog, string ledgerPath, IDiagnosticSink sink, CancellationToken ct)
    {
        var recorded = LastSessionTrials(ledgerPath);
        if (recorded.Count == 0 || recorded[0].Phase != TrialPhase.Calibration)
            throw new AutoPassException(DiagnosticCode.RequestUnreadable, $"The ledger {ledgerPath} has no session to replay.", "Run a tuning session first; replay reads its obj/autopass/ledger.jsonl.");

        bool usedModel = Ledger.Read(ledgerPath).Any(e => e.Type == "agent" && e.Entry["implementation"]?.GetValue<string>() == "ollama");
        var agents = usedModel
            ? AgentStages.Create(request, sink, null, AgentReplay.FromLedger(ledgerPath, sink))
            : await AgentStages.CreateAsync(request with { Agents = AgentMode.Builtin }, sink, null, ct);
        // The agent stages read the program evidence the session collected; give them the same.
        if (Ledger.Read(ledgerPath).LastOrDefault(e => e.Type == "evidence").Entry is { } recordedEvidence)
            agents.UseEvidence(new ProgramEvidence(
                recordedEvidence["hotFunctions"]?.Deserialize<List<HotFunction>>(Ledger.JsonOptions) ?? [],
                recordedEvidence["remarkDigest"]?.GetValue<string>() ?? ""));
        var sources = TuningSession.Sources(request.Search, request.Search == SearchMode.Bandit ? agents : null);
        var policy = new FlagPolicy(new PolicyOptions(request.AllowUnsafeMath, request.AllowMachineSpecific), catalog);

        var trials = new List<TrialRecord> { recorded[0] };
        int built = 0, decisions = 0, matched = 0;
        string? divergence = null;
        foreach (var trial in recorded.Skip(1).Where(t => t.Phase == TrialPhase.Screen))
        {
            var state = new SearchState(catalog, policy, request.BaselineFlags, trials, request.MaxTrials - built, request.Seed);
            var candidate = await TuningSession.NextCandidateAsync(sources, state, ct);
            decisions++;
            string recordedKey = string.Join(' ', trial.Flags);
            if (candidate?.Key == recordedKey) matched++;
            else divergence ??= $"trial {trial.Trial}: the session tried '{recordedKey}', the replay proposed '{candidate?.Key ?? "(nothing)"}'";
            trials.Add(trial);
            if (trial.CountsAgainstBudget()) built++;
        }
        return new ReplayOutcome(decisions, matched, divergence);
    }

    private static List<TrialRecord> LastSessionTrials(string ledgerPath)
    {
        var trials = new List<TrialRecord>();
        foreach (var (type, entry) in Ledger.Read(ledgerPath))
        {
            if (type == "session") trials.Clear();
            else if (type == "trial") trials.Add(System.Text.Json.JsonSerializer.Deserialize<TrialRecord>(entry, Ledger.JsonOptions)!);
        }
        return trials;
    }
}
