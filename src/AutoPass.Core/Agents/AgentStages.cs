using AutoPass.Core.Agents.Model;
using AutoPass.Core.Agents.Ollama;
using AutoPass.Core.Agents.OpenAICompatible;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;
using Microsoft.Extensions.AI;
using OllamaSharp;

namespace AutoPass.Core.Agents;

/// <summary>
/// Builds the session's agent candidate source from the request: Builtin never touches the network; otherwise the
/// provider's server (Ollama, or an OpenAI-compatible one) is checked first: Ollama mode requires the server and the
/// model; Auto uses the model when both are there and otherwise warns once and goes built-in.
/// </summary>
internal static class AgentStages
{
    public const string OllamaImplementation = "ollama";
    public const string OpenAIImplementation = "openai";

    public static Task<AgentCandidateSource> CreateAsync(TuningRequest request, IDiagnosticSink sink, CancellationToken cancellationToken) =>
        CreateAsync(request, sink, new AgentOptions(), cancellationToken);

    public static Task<AgentCandidateSource> CreateAsync(TuningRequest request, IDiagnosticSink sink, AgentOptions options,
        CancellationToken cancellationToken)
    {
        if (request.Agents == AgentMode.Builtin)
        {
            sink.Detail("agents: built-in stages (AutoPassAgents=builtin).");
            return Task.FromResult(new AgentCandidateSource(null, request.Agents, sink, options.Evidence));
        }
        return request.AgentProvider == AgentProvider.OpenAI
            ? CreateOpenAIAsync(request, sink, options, cancellationToken)
            : CreateOllamaAsync(request, sink, options, cancellationToken);
    }

    private static async Task<AgentCandidateSource> CreateOllamaAsync(TuningRequest request, IDiagnosticSink sink, AgentOptions options,
        CancellationToken cancellationToken)
    {
        var endpoint = OllamaEndpoint.Resolve(request.OllamaEndpoint, options.Environment("OLLAMA_HOST"), options.DefaultOllamaEndpoint);
        string model = string.IsNullOrWhiteSpace(request.Model) ? AgentOptions.DefaultModel : request.Model.Trim();
        // One HttpClient for the checks and the chat; the time limits are ours, per call.
        var http = new HttpClient { BaseAddress = endpoint, Timeout = Timeout.InfiniteTimeSpan };
        var ollama = new OllamaApiClient(http, model);
        var status = await OllamaServerCheck.RunAsync(ollama, endpoint, options.CheckTimeout, cancellationToken);

        if (!status.Reachable)
        {
            http.Dispose();
            // No Ollama where nobody said there was one is the usual case, not a fault: say it once, as a message.
            bool configured = !string.IsNullOrWhiteSpace(request.OllamaEndpoint) || !string.IsNullOrWhiteSpace(options.Environment("OLLAMA_HOST"));
            if (request.Agents == AgentMode.Auto && !configured)
            {
                sink.Info($"agents: no Ollama at {endpoint} ({status.Error}); the built-in agent stages propose. " +
                    "Start Ollama (or set AutoPassOllamaEndpoint) for model-backed stages.");
                return new AgentCandidateSource(null, request.Agents, sink, options.Evidence);
            }
            return Fallback(request, sink, options, DiagnosticCode.OllamaUnavailable, $"Ollama at {endpoint} did not answer ({status.Error}).",
                "Start it with `ollama serve`, point AutoPassOllamaEndpoint (or OLLAMA_HOST) at it, or set AutoPassAgents=auto to fall back to the built-in stages.",
                "Start Ollama or set AutoPassOllamaEndpoint; set AutoPassAgents=builtin to silence this.");
        }
        if (!status.HasModel(model))
        {
            http.Dispose();
            string installed = status.Models.Count == 0 ? "none" : string.Join(", ", status.Models);
            string fix = $"Run `ollama pull {model}`, or set AutoPassModel to an installed model";
            return Fallback(request, sink, options, DiagnosticCode.OllamaModelMissing,
                $"The model '{model}' is not installed in Ollama at {endpoint} (installed: {installed}).",
                fix + ".", $"{fix}; set AutoPassAgents=builtin to silence this.");
        }

        sink.Info($"agents: Ollama {status.Version} at {endpoint}, model {model}.");
        var client = new ResilientChatClient(ollama, options.CallTimeout, options.Retries, options.RetryDelay);
        return Create(request, sink, client, options, OllamaImplementation);
    }

    private static async Task<AgentCandidateSource> CreateOpenAIAsync(TuningRequest request, IDiagnosticSink sink, AgentOptions options,
        CancellationToken cancellationToken)
    {
        var endpoint = OpenAIEndpoint.Resolve(request.AgentEndpoint);
        string? apiKey = options.Environment(OpenAICompatibleServer.ApiKeyVariable);
        if (!string.IsNullOrWhiteSpace(apiKey) && !OpenAICompatibleServer.MaySendApiKey(endpoint))
        {
            sink.Warning(AgentDiagnosticCodes.ApiKeyWithheld,
                $"{OpenAICompatibleServer.ApiKeyVariable} is set, but the endpoint {endpoint} is plain http to another machine, so the key is not sent. " +
                $"Use an https:// AutoPassAgentEndpoint (or a server on this machine), or unset {OpenAICompatibleServer.ApiKeyVariable} to silence this.");
            apiKey = null;
        }
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var openai = OpenAICompatibleServer.Client(endpoint, apiKey, http);
        var status = await OpenAICompatibleServer.ListModelsAsync(openai, endpoint, options.CheckTimeout, cancellationToken);

        if (!status.Reachable)
        {
            http.Dispose();
            return Fallback(request, sink, options, AgentDiagnosticCodes.ModelServerUnavailable,
                $"The OpenAI-compatible server at {endpoint} did not list its models (GET {endpoint}/models: {status.Error}).",
                "Start it (llama-server, vLLM, LM Studio), point AutoPassAgentEndpoint at its /v1 URL (and set OPENAI_API_KEY if it wants a key), " +
                "or set AutoPassAgents=auto to fall back to the built-in stages.",
                "Start the server or set AutoPassAgentEndpoint (and OPENAI_API_KEY if it wants a key); set AutoPassAgents=builtin to silence this.");
        }
        // Unset, the model is the server's first: llama.cpp and LM Studio usually serve the one they loaded.
        string? model = string.IsNullOrWhiteSpace(request.Model) ? status.Models.FirstOrDefault() : request.Model.Trim();
        if (model is null || !status.Models.Contains(model, StringComparer.Ordinal))
        {
            http.Dispose();
            string served = status.Models.Count == 0 ? "none" : string.Join(", ", status.Models);
            string fix = model is null ? "Load a model in the server" : "Set AutoPassModel to a model the server lists, or load it in the server";
            return Fallback(request, sink, options, AgentDiagnosticCodes.ModelNotServed,
                $"{(model is null ? "No model is" : $"The model '{model}' is not")} served by the OpenAI-compatible server at {endpoint} (served: {served}).",
                fix + ".", $"{fix}; set AutoPassAgents=builtin to silence this.");
        }

        sink.Info($"agents: OpenAI-compatible server at {endpoint}, model {model}" +
                  (string.IsNullOrWhiteSpace(apiKey) ? "." : $", API key from {OpenAICompatibleServer.ApiKeyVariable}."));
        IChatClient chat = openai.GetChatClient(model).AsIChatClient();
        var client = new ResilientChatClient(chat, options.CallTimeout, options.Retries, options.RetryDelay);
        return Create(request, sink, client, options, OpenAIImplementation, model);
    }

    /// <summary>The server or the model is not there: an error when the request requires the model, else one warning and built-in stages.</summary>
    private static AgentCandidateSource Fallback(TuningRequest request, IDiagnosticSink sink, AgentOptions options, string code, string what,
        string fixWhenRequired, string fixWhenAuto)
    {
        if (request.Agents == AgentMode.Ollama) throw new AutoPassException(code, what, fixWhenRequired);
        sink.Warning(code, $"{what} Using the built-in agent stages. {fixWhenAuto}");
        return new AgentCandidateSource(null, request.Agents, sink, options.Evidence);
    }

    /// <summary>
    /// A source over a given chat client, with no server check: for replay (<see cref="Replay.AgentReplay.FromLedger"/>)
    /// or any other <see cref="IChatClient"/>. Failures behave as in <see cref="AgentMode.Auto"/> unless the request says Ollama.
    /// </summary>
    /// <param name="implementation">The provider's name in the ledger and in candidate origins ("ollama", "openai").</param>
    /// <param name="model">The model asked; null: the request's, else the default.</param>
    public static AgentCandidateSource Create(TuningRequest request, IDiagnosticSink sink, IChatClient client,
        AgentOptions? options = null, string implementation = OllamaImplementation, string? model = null)
    {
        options ??= new AgentOptions();
        model ??= string.IsNullOrWhiteSpace(request.Model) ? AgentOptions.DefaultModel : request.Model.Trim();
        var conversation = new ModelConversation(client, new ModelSettings(model, request.Seed, options.Stream));
        var stages = new AgentStageSet(implementation, new ModelAnalyst(conversation), new ModelProposer(conversation),
            new ModelDiagnostician(conversation), model);
        return new AgentCandidateSource(stages, request.Agents, sink, options.Evidence);
    }
}
