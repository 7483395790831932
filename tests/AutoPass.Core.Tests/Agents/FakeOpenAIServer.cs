using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AutoPass.Core.Tests.Agents;

/// <summary>
/// A local HTTP server on 127.0.0.1 speaking OpenAI's chat-completions protocol as llama.cpp's llama-server, vLLM and
/// LM Studio serve it under /v1: GET /v1/models, POST /v1/chat/completions answered with one chat.completion object,
/// or, for "stream": true, as server-sent chat.completion.chunk events ending in "data: [DONE]".
/// Chat replies come from a script (<see cref="ChatScript"/>), in order; every request is recorded with its headers.
/// </summary>
public sealed class FakeOpenAIServer : FakeModelServer
{
    public const long Created = 1736935200;

    private readonly string[] _models;
    private readonly string? _requiredKey;
    private readonly List<Recorded> _requests = [];
    private int _completions;

    public sealed record Recorded(string Method, string Path, string? Authorization, JsonObject? Body);

    /// <param name="requiredKey">When set, every request without "Authorization: Bearer &lt;key&gt;" gets 401, as llama-server --api-key does.</param>
    /// <param name="host">The address to listen on; the loopback when null.</param>
    public FakeOpenAIServer(IEnumerable<ChatScript> script, string[]? models = null, string? requiredKey = null, IPAddress? host = null) : base(script, host)
    {
        _models = models ?? ["qwen2.5-coder-7b-instruct"];
        _requiredKey = requiredKey;
        Start();
    }

    /// <summary>The API base, as a user would set AutoPassAgentEndpoint.</summary>
    public string Endpoint => $"http://{Host}:{Port}/v1";

    public IReadOnlyList<Recorded> Requests { get { lock (Gate) return _requests.ToList(); } }

    public IReadOnlyList<JsonObject> ChatRequests => Requests.Where(r => r.Path == "/v1/chat/completions").Select(r => r.Body!).ToList();

    protected override async Task RouteAsync(HttpListenerContext context, string path, JsonObject? body)
    {
        string? authorization = context.Request.Headers["Authorization"];
        lock (Gate) _requests.Add(new Recorded(context.Request.HttpMethod, path, authorization, body));

        if (_requiredKey is not null && authorization != $"Bearer {_requiredKey}")
        {
            await ErrorAsync(context, 401, "Invalid API Key", "authentication_error");
            return;
        }
        switch (context.Request.HttpMethod, path)
        {
            case ("GET", "/v1/models"):
                await WriteJsonAsync(context, Models());
                break;
            case ("POST", "/v1/chat/completions"):
                await ChatAsync(context, body!);
                break;
            default:
                await ErrorAsync(context, 404, "File Not Found", "not_found_error");
                break;
        }
    }

    private JsonObject Models() => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray(_models.Select(id => (JsonNode)new JsonObject
        {
            ["id"] = id,
            ["object"] = "model",
            ["created"] = Created,
            ["owned_by"] = "llamacpp",
        }).ToArray()),
    };

    private async Task ChatAsync(HttpListenerContext context, JsonObject request)
    {
        var next = NextReply();
        int n = Interlocked.Increment(ref _completions);
        string model = request["model"]?.GetValue<string>() ?? "";
        switch (next)
        {
            case ChatScript.Stall:
                await StallAsync();
                return;
            case ChatScript.Status status:
                await ErrorAsync(context, status.Code, "scripted failure", "server_error");
                return;
            case ChatScript.Reply reply:
                // Unlike Ollama, the protocol answers in one object unless the request says "stream": true.
                bool stream = request["stream"]?.GetValue<bool>() ?? false;
                if (stream) await StreamAsync(context, $"chatcmpl-{n}", model, reply.Content);
                else await WriteJsonAsync(context, Completion($"chatcmpl-{n}", model, reply.Content));
                return;
        }
    }

    private static JsonObject Completion(string id, string model, string content) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion",
        ["created"] = Created,
        ["model"] = model,
        ["system_fingerprint"] = "b4600-fake",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 120, ["completion_tokens"] = 40, ["total_tokens"] = 160 },
    };

    private static async Task StreamAsync(HttpListenerContext context, string id, string model, string content)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.SendChunked = true;
        var output = context.Response.OutputStream;

        async Task EventAsync(string data)
        {
            await output.WriteAsync(Encoding.UTF8.GetBytes($"data: {data}\n\n"));
            await output.FlushAsync();
        }

        JsonObject Chunk(JsonObject delta, string? finish) => new()
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = Created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        };

        int size = Math.Max(1, content.Length / 4 + 1);
        await EventAsync(Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null).ToJsonString());
        for (int i = 0; i < content.Length; i += size)
            await EventAsync(Chunk(new JsonObject { ["content"] = content.Substring(i, Math.Min(size, content.Length - i)) }, null).ToJsonString());
        await EventAsync(Chunk(new JsonObject(), "stop").ToJsonString());
        await EventAsync("[DONE]");
    }

    private static Task ErrorAsync(HttpListenerContext context, int status, string message, string type)
    {
        context.Response.StatusCode = status;
        return WriteJsonAsync(context, new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = status, ["message"] = message, ["type"] = type },
        });
    }
}
