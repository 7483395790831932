using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;

namespace AutoPass.Core.Agents.OpenAICompatible;

/// <summary>The models the server lists (GET /v1/models), or why it did not answer.</summary>
internal sealed record OpenAIServerStatus(Uri Endpoint, IReadOnlyList<string> Models, string? Error)
{
    public bool Reachable => Error is null;
}

/// <summary>
/// A server speaking OpenAI's chat-completions API (llama.cpp's llama-server, vLLM, LM Studio) through the OpenAI
/// client that Microsoft.Extensions.AI adapts. The API key, when the server wants one, comes from
/// <see cref="ApiKeyVariable"/> and goes only into the Authorization header: never into a message or the ledger.
/// </summary>
internal static class OpenAICompatibleServer
{
    public const string ApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>
    /// Whether the API key may travel to <paramref name="endpoint"/>: over https, or over plain http only to this
    /// machine (localhost, 127.0.0.0/8, ::1), where no network sees it. A repository names the endpoint, so a key
    /// must not go in clear text to whatever host it names.
    /// </summary>
    public static bool MaySendApiKey(Uri endpoint) => endpoint.Scheme == Uri.UriSchemeHttps || endpoint.IsLoopback;

    /// <summary>
    /// A client on <paramref name="http"/> without the client's own retries or time limit: the check and
    /// <see cref="Ollama.ResilientChatClient"/> set those per call, as for Ollama.
    /// </summary>
    public static OpenAIClient Client(Uri endpoint, string? apiKey, HttpClient http)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrWhiteSpace(apiKey)) return new OpenAIClient(new ApiKeyCredential(apiKey.Trim()), options);
        // Local servers need no key; the client insists on one, so it gets a stand-in whose header never leaves.
        options.AddPolicy(new NoAuthorizationHeader(), PipelinePosition.BeforeTransport);
        return new OpenAIClient(new ApiKeyCredential("none"), options);
    }

    public static async Task<OpenAIServerStatus> ListModelsAsync(OpenAIClient client, Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var models = await client.GetOpenAIModelClient().GetModelsAsync(limit.Token);
            return new OpenAIServerStatus(endpoint, models.Value.Select(m => m.Id).Where(id => !string.IsNullOrEmpty(id)).Distinct().ToList(), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new OpenAIServerStatus(endpoint, [], $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (ClientResultException e)
        {
            return new OpenAIServerStatus(endpoint, [], Describe(e));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return new OpenAIServerStatus(endpoint, [], e.Message);
        }
    }

    /// <summary>One line for a failed request: the status (with what to do about 401/403) or the network error.</summary>
    public static string Describe(ClientResultException e) => e.Status switch
    {
        0 => e.InnerException?.Message ?? e.Message,
        401 or 403 => $"HTTP {e.Status}: the server wants an API key; set {ApiKeyVariable}",
        404 => $"HTTP 404: no OpenAI-compatible API at this URL (does it end in /v1?)",
        _ => $"HTTP {e.Status}",
    };

    private sealed class NoAuthorizationHeader : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
