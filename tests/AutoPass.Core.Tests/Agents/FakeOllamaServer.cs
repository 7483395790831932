using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AutoPass.Core.Tests.Agents;

/// <summary>
/// A local HTTP server on 127.0.0.1 speaking Ollama's protocol as in docs/api.md: GET /api/version, GET /api/tags,
/// POST /api/chat streamed (NDJSON chunks, then a done line with the stats) or not (one JSON object).
/// Chat replies come from a script, in order; every request is recorded.
/// </summary>
public sealed class FakeOllamaServer : FakeModelServer
{
    public const string CreatedAt = "2025-01-15T10:00:00.000000Z";

    private readonly string[] _models;
    private readonly List<(string Method, string Path, JsonObject? Body)> _requests = [];

    public FakeOllamaServer(IEnumerable<ChatScript> script, params string[] models) : base(script)
    {
        _models = models.Length == 0 ? ["qwen2.5-coder:7b"] : models;
        Start();
    }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<(string Method, string Path, JsonObject? Body)> Requests { get { lock (Gate) return _requests.ToList(); } }

    public IReadOnlyList<JsonObject> ChatRequests => Requests.Where(r => r.Path == "/api/chat").Select(r => r.Body!).ToList();

    protected override async Task RouteAsync(HttpListenerContext context, string path, JsonObject? body)
    {
        lock (Gate) _requests.Add((context.Request.HttpMethod, path, body));
        switch (context.Request.HttpMethod, path)
        {
            case ("GET", "/api/version"):
                await WriteJsonAsync(context, new JsonObject { ["version"] = "0.5.7" });
                break;
            case ("GET", "/api/tags"):
                await WriteJsonAsync(context, Tags());
                break;
            case ("POST", "/api/chat"):
                await ChatAsync(context, body!);
                break;
            default:
                context.Response.StatusCode = 404;
                await WriteJsonAsync(context, new JsonObject { ["error"] = "not found" });
                break;
        }
    }

    private JsonObject Tags() => new()
    {
        ["models"] = new JsonArray(_models.Select(name => (JsonNode)new JsonObject
        {
            ["name"] = name,
            ["model"] = name,
            ["modified_at"] = "2025-01-10T08:30:00.123456789Z",
            ["size"] = 4683087332,
            ["digest"] = "2b0496514337a3d5901f1d253d01726c890b721e891335a56d6e08cedf3e2cb0",
            ["details"] = new JsonObject
            {
                ["parent_model"] = "",
                ["format"] = "gguf",
                ["family"] = "qwen2",
                ["families"] = new JsonArray("qwen2"),
                ["parameter_size"] = "7.6B",
                ["quantization_level"] = "Q4_K_M",
            },
        }).ToArray()),
    };

    private async Task ChatAsync(HttpListenerContext context, JsonObject request)
    {
        var next = NextReply();
        string model = request["model"]?.GetValue<string>() ?? "";
        switch (next)
        {
            case ChatScript.Stall:
                await StallAsync();
                return;
            case ChatScript.Status status:
                context.Response.StatusCode = status.Code;
                await WriteJsonAsync(context, new JsonObject { ["error"] = "scripted failure" });
                return;
            case ChatScript.Reply reply:
                // Ollama streams unless the request says "stream": false.
                bool stream = request["stream"]?.GetValue<bool>() ?? true;
                if (stream) await StreamAsync(context, model, reply.Content);
                else await WriteJsonAsync(context, Done(model, reply.Content));
                return;
        }
    }

    private static async Task StreamAsync(HttpListenerContext context, string model, string content)
    {
        context.Response.ContentType = "application/x-ndjson";
        context.Response.SendChunked = true;
        var output = context.Response.OutputStream;
        int size = Math.Max(1, content.Length / 4 + 1);
        for (int i = 0; i < content.Length; i += size)
        {
            var chunk = new JsonObject
            {
                ["model"] = model,
                ["created_at"] = CreatedAt,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content.Substring(i, Math.Min(size, content.Length - i)) },
                ["done"] = false,
            };
            await output.WriteAsync(Encoding.UTF8.GetBytes(chunk.ToJsonString() + "\n"));
            await output.FlushAsync();
        }
        await output.WriteAsync(Encoding.UTF8.GetBytes(Done(model, "").ToJsonString() + "\n"));
    }

    private static JsonObject Done(string model, string content) => new()
    {
        ["model"] = model,
        ["created_at"] = CreatedAt,
        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
        ["done_reason"] = "stop",
        ["done"] = true,
        ["total_duration"] = 4883583458,
        ["load_duration"] = 1334875,
        ["prompt_eval_count"] = 26,
        ["prompt_eval_duration"] = 342546000,
        ["eval_count"] = 282,
        ["eval_duration"] = 4535599000,
    };
}
