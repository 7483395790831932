using System.Text.Json;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Search;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Agents;

/// <summary>
/// Candidates from the agent stages: analyst (once per evidence), diagnostician (on the trials not explained
/// yet), proposer, then the policy gate. Runs the model stages when it has them and falls back to the built-in
/// stage for a step whose reply stays invalid; when the model stops answering it switches to built-in for the
/// rest of the session with one warning (or, in <see cref="AgentMode.Ollama"/>, which requires the model whatever its provider, fails). Every step is kept as an
/// <see cref="AgentExchange"/> for the session to write to the ledger.
/// </summary>
internal sealed class AgentCandidateSource : ICandidateSource
{
    private const int MaxLessons = 64;

    private readonly AgentStageSet _builtin = AgentStageSet.Builtin;
    private readonly AgentMode _mode;
    private readonly IDiagnosticSink _sink;
    private readonly int _maxInvalidReplies;
    private readonly List<AgentExchange> _exchanges = [];
    private readonly List<Lesson> _lessons = [];
    private readonly HashSet<int> _diagnosed = [];
    private readonly HashSet<string> _proposedKeys = new(StringComparer.Ordinal);
    private AgentStageSet? _model;
    private ProgramEvidence _evidence;
    private IReadOnlyList<Hypothesis>? _hypotheses;
    private int _round;
    private int _invalidReplies;
    private bool _warnedInvalid;

    /// <param name="model">The model-backed stages; null for built-in only.</param>
    /// <param name="mode">With <see cref="AgentMode.Ollama"/> a model that stops answering is an error, not a fallback.</param>
    /// <param name="maxInvalidReplies">After this many steps whose replies stayed invalid, stop asking the model.</param>
    public AgentCandidateSource(AgentStageSet? model, AgentMode mode, IDiagnosticSink sink,
        ProgramEvidence? evidence = null, int maxInvalidReplies = 3)
    {
        _model = model;
        _mode = mode;
        _sink = sink;
        _evidence = evidence ?? ProgramEvidence.None;
        _maxInvalidReplies = maxInvalidReplies;
    }

    public string Name => _model is null ? "agents:builtin" : $"agents:{_model.Implementation}";

    /// <summary>True while the model-backed stages are in use.</summary>
    public bool UsesModel => _model is not null;

    /// <summary>Every step so far.</summary>
    public IReadOnlyList<AgentExchange> Exchanges => _exchanges;

    private int _handedOver;

    /// <summary>The steps since the last call, for the session to write to the ledger.</summary>
    public IReadOnlyList<AgentExchange> TakeNewExchanges()
    {
        var fresh = _exchanges.Skip(_handedOver).ToList();
        _handedOver = _exchanges.Count;
        return fresh;
    }

    public IReadOnlyList<Lesson> Lessons => _lessons;

    /// <summary>New program evidence (e.g. after the baseline build produced remarks); the analyst runs again.</summary>
    public void UseEvidence(ProgramEvidence evidence)
    {
        _evidence = evidence;
        _hypotheses = null;
    }

    /// <summary>
    /// Candidates the stages propose per round: a race enters candidates one at a time, and one model round per
    /// candidate would leave a race waiting on the model; the rest of a round's batch is handed out next.
    /// </summary>
    public const int BatchSize = 4;

    private readonly Queue<Candidate> _batch = new();

    public async Task<IReadOnlyList<Candidate>> ProposeAsync(SearchState state, int count, CancellationToken cancellationToken)
    {
        if (count <= 0) return [];
        var candidates = new List<Candidate>();
        // What the last round left over, unless the search has tried it since.
        while (candidates.Count < count && _batch.TryDequeue(out var queued))
            if (!state.WasTried(queued.Flags)) candidates.Add(queued);
        if (candidates.Count == count) return candidates;

        var round = await ProposeRoundAsync(state, count - candidates.Count, Math.Max(count - candidates.Count, BatchSize), cancellationToken);
        foreach (var candidate in round)
        {
            if (candidates.Count < count) candidates.Add(candidate);
            else _batch.Enqueue(candidate);
        }
        return candidates;
    }

    /// <summary>
    /// One round of the stages: analyst (once), diagnostician on new trials, proposer asked for <paramref name="batch"/>,
    /// gate; topped up by the built-in proposer only to the <paramref name="count"/> needed now.
    /// </summary>
    private async Task<IReadOnlyList<Candidate>> ProposeRoundAsync(SearchState state, int count, int batch, CancellationToken cancellationToken)
    {
        _round++;

        _hypotheses ??= (await StepAsync("analyst", (stages, ct) => stages.Analyst.AnalyzeAsync(
            new AnalystInput(_evidence, state.Catalog, state.BaselineFlags), ct), cancellationToken)).Output.Hypotheses;

        var undiagnosed = state.Trials.Where(t => t.Phase != TrialPhase.Calibration && !_diagnosed.Contains(t.Trial) && IsDecided(t)).ToList();
        if (undiagnosed.Count > 0)
        {
            var (report, _, _) = await StepAsync("diagnostician", (stages, ct) => stages.Diagnostician.DiagnoseAsync(
                new DiagnosticianInput(undiagnosed, state.BaselineFlags), ct), cancellationToken);
            foreach (var trial in undiagnosed) _diagnosed.Add(trial.Trial);
            _lessons.AddRange(report.Lessons);
            if (_lessons.Count > MaxLessons) _lessons.RemoveRange(0, _lessons.Count - MaxLessons);
        }

        var summary = LedgerSummary.From(state);
        var input = new ProposerInput(_hypotheses, summary, _lessons.ToList(), state.Catalog, state.BaselineFlags, batch);
        var (proposals, implementation, exchange) = await StepAsync("proposer", (stages, ct) => stages.Proposer.ProposeAsync(input, ct),
            cancellationToken, record: false);
        var gated = CandidateGate.Apply(proposals.Proposals, state, $"{implementation}:proposer", batch, _proposedKeys);
        Record(exchange with { Kept = gated.Kept.Select(c => c.Flags).ToList(), Dropped = gated.Dropped });
        var candidates = gated.Kept.ToList();

        // A model that proposes too few valid candidates is topped up by the built-in proposer, so the source
        // only runs dry when the built-in rules do.
        if (candidates.Count < count && implementation != _builtin.Implementation)
        {
            var topUpInput = input with
            {
                Count = count - candidates.Count,
                Summary = summary with { TriedKeys = summary.TriedKeys.Union(_proposedKeys).ToHashSet(StringComparer.Ordinal) },
            };
            var topUp = (await _builtin.Proposer.ProposeAsync(topUpInput, cancellationToken)).Output!;
            var more = CandidateGate.Apply(topUp.Proposals, state, $"{_builtin.Implementation}:proposer", topUpInput.Count, _proposedKeys);
            Record(new AgentExchange
            {
                Round = _round,
                Stage = "proposer",
                Implementation = _builtin.Implementation,
                Parsed = JsonSerializer.SerializeToNode(topUp, Ledger.JsonOptions),
                Kept = more.Kept.Select(c => c.Flags).ToList(),
                Dropped = more.Dropped,
                Failure = "top-up: the model proposed fewer valid candidates than asked for",
            });
            candidates.AddRange(more.Kept);
        }
        return candidates;
    }

    private static bool IsDecided(TrialRecord trial) =>
        trial.Verdict is not null || trial.IsBroken();

    /// <summary>Runs one step with the model when there is one, else (or after its failure) with the built-in stage.</summary>
    private async Task<(T Output, string Implementation, AgentExchange Exchange)> StepAsync<T>(string stage,
        Func<AgentStageSet, CancellationToken, Task<StageReply<T>>> run, CancellationToken cancellationToken, bool record = true) where T : class
    {
        string? failure = null;
        if (_model is { } model)
        {
            var reply = await run(model, cancellationToken);
            var exchange = new AgentExchange
            {
                Round = _round,
                Stage = stage,
                Implementation = model.Implementation,
                Model = model.Model,
                Attempts = reply.Attempts,
                Parsed = reply.Output is null ? null : JsonSerializer.SerializeToNode(reply.Output, Ledger.JsonOptions),
            };
            if (reply.Output is { } output)
            {
                _invalidReplies = 0;
                if (record) Record(exchange);
                return (output, model.Implementation, exchange);
            }
            failure = $"{(reply.Failure == StageFailure.Unavailable ? "unavailable" : "invalid-reply")}: {reply.FailureMessage}";
            Record(exchange with { Failure = failure });
            HandleFailure(model, stage, reply.Failure, reply.FailureMessage);
        }
        var builtin = await run(_builtin, cancellationToken);
        var builtinExchange = new AgentExchange
        {
            Round = _round,
            Stage = stage,
            Implementation = _builtin.Implementation,
            Parsed = JsonSerializer.SerializeToNode(builtin.Output, Ledger.JsonOptions),
            Failure = failure is null ? null : $"fallback after the model step failed ({failure})",
        };
        if (record) Record(builtinExchange);
        return (builtin.Output!, _builtin.Implementation, builtinExchange);
    }

    private void HandleFailure(AgentStageSet model, string stage, StageFailure failure, string? message)
    {
        if (failure == StageFailure.Unavailable)
        {
            bool openai = model.Implementation == AgentStages.OpenAIImplementation;
            string code = openai ? AgentDiagnosticCodes.ModelServerUnavailable : DiagnosticCode.OllamaUnavailable;
            string server = openai ? "the OpenAI-compatible server (AutoPassAgentEndpoint)" : "the Ollama server";
            if (_mode == AgentMode.Ollama)
                throw new AutoPassException(code,
                    $"The model '{model.Model}' stopped answering during the {stage} step: {message}.",
                    $"Check that {server} is running and not overloaded, or set AutoPassAgents=auto to continue with the built-in stages.");
            _sink.Warning(code,
                $"The model '{model.Model}' stopped answering during the {stage} step ({message}); the rest of this session uses the built-in agent stages. " +
                $"Check {server}, or set AutoPassAgents=builtin to silence this.");
            _model = null;
            return;
        }
        _invalidReplies++;
        if (!_warnedInvalid)
        {
            _warnedInvalid = true;
            _sink.Warning(DiagnosticCode.AgentReplyInvalid,
                $"The model '{model.Model}' gave no valid JSON for the {stage} step even after a repair round ({message}); the built-in stage answered instead. " +
                "Try a larger model with AutoPassModel, or set AutoPassAgents=builtin to silence this.");
        }
        if (_invalidReplies >= _maxInvalidReplies)
        {
            _sink.Info($"agents: {_invalidReplies} invalid model replies in a row; using the built-in stages for the rest of the session.");
            _model = null;
        }
    }

    private void Record(AgentExchange exchange)
    {
        _exchanges.Add(exchange);
        _sink.Detail($"agent round {exchange.Round} {exchange.Stage} ({exchange.Implementation}): kept {exchange.Kept.Count}, dropped {exchange.Dropped.Count}"
            + (exchange.Failure is null ? "" : $", {exchange.Failure}"));
    }
}
