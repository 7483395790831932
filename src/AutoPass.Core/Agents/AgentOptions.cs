using AutoPass.Core.Evidence;

namespace AutoPass.Core.Agents;

/// <summary>How the agent stages reach the model; the defaults suit a local Ollama with a 7B model.</summary>
internal sealed record AgentOptions
{
    public const string DefaultModel = "qwen2.5-coder:7b";

    /// <summary>Limit for one model call.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Limit of each start-up check (Ollama's /api/version and /api/tags, or /v1/models): they answer at once from a live server, however slow the model.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a time-out, refused connection or 5xx, per call.</summary>
    public int Retries { get; init; } = 2;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Ask for a streamed reply (Ollama's NDJSON, or server-sent events) instead of one JSON object.</summary>
    public bool Stream { get; init; }

    /// <summary>Program evidence for the analyst; the session can give newer evidence later with UseEvidence.</summary>
    public ProgramEvidence? Evidence { get; init; }

    /// <summary>Where Ollama is asked when neither AutoPassOllamaEndpoint nor OLLAMA_HOST names it; replaceable so a test can name a port known free.</summary>
    public Uri DefaultOllamaEndpoint { get; init; } = new(Ollama.OllamaEndpoint.Default);

    /// <summary>Reads environment variables (OLLAMA_HOST, OPENAI_API_KEY); replaceable so tests do not depend on the machine.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
