using AutoPass.Core.Agents.Model;
using AutoPass.Core.Agents.Ollama;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using Microsoft.Extensions.AI;

namespace AutoPass.Core.Agents.Replay;

/// <summary>
/// Serves a recorded session's model replies in order, so its agent decisions re-run without a server.
/// A recorded outage is served as an outage, so the replayed session falls back exactly where the original did.
/// </summary>
internal sealed class ReplayChatClient(IReadOnlyList<AgentAttempt> attempts, IDiagnosticSink? sink = null) : IChatClient
{
    private readonly Lock _gate = new();
    private int _next;
    private bool _warned;

    /// <summary>Calls whose prompt differed from the recorded one (the code or the evidence changed since).</summary>
    public int Divergences { get; private set; }

    public int Remaining { get { lock (_gate) return attempts.Count - _next; } }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        AgentAttempt attempt;
        lock (_gate)
        {
            if (_next >= attempts.Count)
            {
                Diverged("the replayed session asked the model more often than the recorded one");
                throw new ModelUnavailableException("the replay ledger has no more recorded replies");
            }
            attempt = attempts[_next++];
        }
        if (PromptText.Render(messages) != attempt.Prompt)
            Diverged($"call {_next} asked something other than the recorded prompt; serving the recorded reply anyway");
        if (attempt.Unavailable || attempt.Response is null)
            throw new ModelUnavailableException($"recorded outage: {attempt.Error}");
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, attempt.Response)) { ModelId = options?.ModelId });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }

    private void Diverged(string message)
    {
        Divergences++;
        if (_warned || sink is null) return;
        _warned = true;
        sink.Warning(AgentDiagnosticCodes.ReplayDiverged,
            $"Agent replay diverged from the recorded session: {message}. Replay the ledger with the AutoPass version and evidence that recorded it.");
    }
}
