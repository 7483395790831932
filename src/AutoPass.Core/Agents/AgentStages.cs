using AutoPass.Core.Agents.Model;
using AutoPass.Core.Agents.Ollama;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;
using Microsoft.Extensions.AI;
using OllamaSharp;

namespace AutoPass.Core.Agents;

/// <summary>
/// Builds the session's agent candidate source from the request: Builtin never touches the network; Ollama
/// requires the server and the model; Auto uses Ollama when it answers and otherwise warns once and goes built-in.
/// </summary>
internal static class AgentStages
{
    public const string OllamaImplementation = "ollama";

    public static Task<AgentCandidateSource> CreateAsync(TuningRequest request, IDiagnosticSink sink, CancellationToken cancellationToken) =>
        CreateAsync(request, sink, new AgentOptions(), cancellationToken);

    public static async Task<AgentCandidateSource> CreateAsync(TuningRequest request, IDiagnosticSink sink, AgentOptions options,
        CancellationToken cancellationToken)
    {
        if (request.Agents == AgentMode.Builtin)
        {
            sink.Detail("AutoPass agents: built-in stages (AutoPassAgents=builtin).");
            return new AgentCandidateSource(null, request.Agents, sink, options.Evidence);
        }

        var endpoint = OllamaEndpoint.Resolve(request.OllamaEndpoint, options.Environment("OLLAMA_HOST"));
        string model = string.IsNullOrWhiteSpace(request.Model) ? AgentOptions.DefaultModel : request.Model.Trim();
        // One HttpClient for the checks and the chat; the time limits are ours, per call.
        var http = new HttpClient { BaseAddress = endpoint, Timeout = Timeout.InfiniteTimeSpan };
        var ollama = new OllamaApiClient(http, model);
        var status = await OllamaServerCheck.RunAsync(ollama, endpoint, options.CheckTimeout, cancellationToken);

        if (!status.Reachable)
        {
            http.Dispose();
            string what = $"Ollama at {endpoint} did not answer ({status.Error}).";
            if (request.Agents == AgentMode.Ollama)
                throw new AutoPassException(DiagnosticCode.OllamaUnavailable, what,
                    "Start it with `ollama serve`, point AutoPassOllamaEndpoint (or OLLAMA_HOST) at it, or set AutoPassAgents=auto to fall back to the built-in stages.");
            sink.Warning(DiagnosticCode.OllamaUnavailable,
                $"{what} Using the built-in agent stages. Start Ollama or set AutoPassOllamaEndpoint; set AutoPassAgents=builtin to silence this.");
            return new AgentCandidateSource(null, request.Agents, sink, options.Evidence);
        }
        if (!status.HasModel(model))
        {
            http.Dispose();
            string installed = status.Models.Count == 0 ? "none" : string.Join(", ", status.Models);
            string what = $"The model '{model}' is not installed in Ollama at {endpoint} (installed: {installed}).";
            string fix = $"Run `ollama pull {model}`, or set AutoPassModel to an installed model";
            if (request.Agents == AgentMode.Ollama)
                throw new AutoPassException(DiagnosticCode.OllamaModelMissing, what, fix + ".");
            sink.Warning(DiagnosticCode.OllamaModelMissing,
                $"{what} Using the built-in agent stages. {fix}; set AutoPassAgents=builtin to silence this.");
            return new AgentCandidateSource(null, request.Agents, sink, options.Evidence);
        }

        sink.Info($"AutoPass agents: Ollama {status.Version} at {endpoint}, model {model}.");
        var client = new ResilientChatClient(ollama, options.CallTimeout, options.Retries, options.RetryDelay);
        return Create(request, sink, client, options, OllamaImplementation);
    }

    /// <summary>
    /// A source over a given chat client, with no server check: for replay (<see cref="Replay.AgentReplay.FromLedger"/>)
    /// or any other <see cref="IChatClient"/>. Failures behave as in <see cref="AgentMode.Auto"/> unless the request says Ollama.
    /// </summary>
    public static AgentCandidateSource Create(TuningRequest request, IDiagnosticSink sink, IChatClient client,
        AgentOptions? options = null, string implementation = OllamaImplementation)
    {
        options ??= new AgentOptions();
        string model = string.IsNullOrWhiteSpace(request.Model) ? AgentOptions.DefaultModel : request.Model.Trim();
        var conversation = new ModelConversation(client, new ModelSettings(model, request.Seed, options.Stream));
        var stages = new AgentStageSet(implementation, new ModelAnalyst(conversation), new ModelProposer(conversation),
            new ModelDiagnostician(conversation), model);
        return new AgentCandidateSource(stages, request.Agents, sink, options.Evidence);
    }
}
