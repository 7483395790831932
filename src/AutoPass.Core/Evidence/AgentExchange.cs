using System.Text.Json.Nodes;

namespace AutoPass.Core.Evidence;

/// <summary>One model call: what was asked, what came back (or the error). Replay serves <see cref="Response"/> back in order.</summary>
/// <param name="Prompt">The messages sent, as "role: text" blocks (system, user, and for a repair the earlier reply and the error).</param>
/// <param name="Response">The reply text; null when the call failed.</param>
/// <param name="Error">Why the reply was rejected (invalid JSON, schema) or why the call failed.</param>
/// <param name="Unavailable">True when the model did not answer at all (so replay reproduces the outage).</param>
internal sealed record AgentAttempt(string Prompt, string? Response, string? Error, bool Unavailable, double Seconds);

/// <summary>A proposed flag the gate refused, and the gate's reason.</summary>
internal sealed record DroppedFlag(string Flag, string Reason);

/// <summary>
/// One ledger line of type "agent": one stage step, which implementation ran it, its model calls,
/// the parsed result, and (for the proposer) what became candidates and what the gate dropped.
/// </summary>
internal sealed record AgentExchange : LedgerLine
{
    /// <summary>The source's ProposeAsync call this step belongs to, from 1.</summary>
    public required int Round { get; init; }

    /// <summary>"analyst", "proposer", or "diagnostician".</summary>
    public required string Stage { get; init; }

    /// <summary>The provider of a model through IChatClient ("ollama", "openai" for an OpenAI-compatible server) or "builtin".</summary>
    public required string Implementation { get; init; }

    public string? Model { get; init; }

    /// <summary>Whether a model answered this step (any provider), not the built-in stages.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool FromModel => Implementation != Agents.AgentStageSet.Builtin.Implementation;

    public IReadOnlyList<AgentAttempt> Attempts { get; init; } = [];

    /// <summary>The typed output of the stage as JSON; absent when the stage failed.</summary>
    public JsonNode? Parsed { get; init; }

    /// <summary>Candidates that came out of this step (flag lists), after the gate.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Kept { get; init; } = [];

    public IReadOnlyList<DroppedFlag> Dropped { get; init; } = [];

    /// <summary>Why this step failed, when it did ("invalid-reply: ...", "unavailable: ...").</summary>
    public string? Failure { get; init; }
}
