using System.ClientModel;
using System.Net;
using System.Runtime.CompilerServices;
using AutoPass.Core.Agents.Model;
using AutoPass.Core.Agents.OpenAICompatible;
using Microsoft.Extensions.AI;

namespace AutoPass.Core.Agents.Ollama;

/// <summary>
/// A per-call time limit and a few retries on time-outs, refused connections and 5xx, so a slow or dead
/// model never hangs a build. Gives up with <see cref="ModelUnavailableException"/>.
/// </summary>
internal sealed class ResilientChatClient(IChatClient inner, TimeSpan timeout, int retries, TimeSpan retryDelay) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        return await WithRetriesAsync(ct => base.GetResponseAsync(list, options, ct), cancellationToken);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        // Buffered: a retry must not repeat half a reply, and the time limit covers the whole stream.
        var updates = await WithRetriesAsync(async ct =>
        {
            var all = new List<ChatResponseUpdate>();
            long length = 0;
            await foreach (var update in base.GetStreamingResponseAsync(list, options, ct))
            {
                all.Add(update);
                // Past the limit the reply is invalid whatever follows: stop reading instead of filling memory.
                if ((length += update.Text.Length) > ModelConversation.MaxReplyChars) break;
            }
            return all;
        }, cancellationToken);
        foreach (var update in updates) yield return update;
    }

    private async Task<T> WithRetriesAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        string lastError = "no attempt made";
        Exception? last = null;
        for (int attempt = 0; attempt <= retries; attempt++)
        {
            if (attempt > 0) await Task.Delay(retryDelay * attempt, cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                return await call(limit.Token);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                last = e;
                lastError = $"no reply within {timeout.TotalSeconds:0.#} s";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                last = e;
                // The OpenAI client's message carries the whole response body; one line is enough for the ledger.
                lastError = e is ClientResultException result ? OpenAICompatibleServer.Describe(result) : e.Message;
                if (!IsTransient(e)) break;
            }
        }
        throw new ModelUnavailableException($"{lastError} (after {retries + 1} attempt(s))", last);
    }

    private static bool IsTransient(Exception e) => e switch
    {
        // The OpenAI client's failures: status 0 is a network error (refused, reset), else the server's status.
        ClientResultException { Status: 0 } => true,
        ClientResultException { Status: var status } => status >= 500 || status is 408 or 429,
        HttpRequestException { StatusCode: null } => true,
        HttpRequestException { StatusCode: { } status } => (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        IOException or TimeoutException => true,
        // OllamaSharp reports server errors (5xx bodies) as its own exception type.
        _ => e.GetType().Namespace?.StartsWith("OllamaSharp", StringComparison.Ordinal) == true,
    };
}
