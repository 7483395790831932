using AutoPass.Core.Evidence;

namespace AutoPass.Core.Agents;

/// <summary>Why a stage produced no output.</summary>
internal enum StageFailure
{
    None,
    /// <summary>The model answered, but not with valid JSON for the schema, even after the repair round.</summary>
    InvalidReply,
    /// <summary>The model did not answer (timeout, connection refused, 5xx after retries).</summary>
    Unavailable,
}

/// <summary>A stage's output, or why there is none, with every model call it made (for the ledger and replay).</summary>
internal sealed record StageReply<T>(T? Output, IReadOnlyList<AgentAttempt> Attempts, StageFailure Failure = StageFailure.None, string? FailureMessage = null)
    where T : class
{
    public static StageReply<T> Of(T output) => new(output, []);
}
