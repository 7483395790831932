using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AutoPass.Core.Tests.Agents;

/// <summary>What the fake server does with one POST /api/chat.</summary>
public abstract record ChatScript
{
    public sealed record Reply(string Content) : ChatScript;
    public sealed record Status(int Code) : ChatScript;
    /// <summary>Accepts the request and never answers (until the server is disposed).</summary>
    public sealed record Stall : ChatScript;
}

/// <summary>
/// A local HTTP server on 127.0.0.1 speaking Ollama's protocol as in docs/api.md: GET /api/version, GET /api/tags,
/// POST /api/chat streamed (NDJSON chunks, then a done line with the stats) or not (one JSON object).
/// Chat replies come from a script, in order; every request is recorded.
/// </summary>
public sealed class FakeOllamaServer : IDisposable
{
    public const string CreatedAt = "2025-01-15T10:00:00.000000Z";

    private readonly HttpListener _listener;
    private readonly Queue<ChatScript> _script;
    private readonly string[] _models;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(string Method, string Path, JsonObject? Body)> _requests = [];
    private readonly Lock _gate = new();

    public FakeOllamaServer(IEnumerable<ChatScript> script, params string[] models)
    {
        _script = new Queue<ChatScript>(script);
        _models = models.Length == 0 ? ["qwen2.5-coder:7b"] : models;
        (_listener, Port) = Listen();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<(string Method, string Path, JsonObject? Body)> Requests { get { lock (_gate) return _requests.ToList(); } }

    public IReadOnlyList<JsonObject> ChatRequests => Requests.Where(r => r.Path == "/api/chat").Select(r => r.Body!).ToList();

    /// <summary>A listener on a free port: another test can take the probed port before it is bound, so try again.</summary>
    internal static (HttpListener, int) Listen()
    {
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }
    }

    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; } // listener stopped
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            string path = context.Request.Url!.AbsolutePath;
            string text = await new StreamReader(context.Request.InputStream, Encoding.UTF8).ReadToEndAsync();
            var body = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
            lock (_gate) _requests.Add((context.Request.HttpMethod, path, body));

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
        catch (Exception)
        {
            // The client went away (a time-out); nothing to answer.
        }
        finally
        {
            try { context.Response.Close(); } catch (Exception) { }
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
        ChatScript next;
        lock (_gate) next = _script.Count > 0 ? _script.Dequeue() : new ChatScript.Status(500);
        string model = request["model"]?.GetValue<string>() ?? "";
        switch (next)
        {
            case ChatScript.Stall:
                await Task.Delay(Timeout.Infinite, _stop.Token);
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

    private static async Task WriteJsonAsync(HttpListenerContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        byte[] bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    public void Dispose()
    {
        _stop.Cancel();
        // The managed listener re-resolves its port while closing and throws if another test has bound it since.
        try { _listener.Stop(); _listener.Close(); } catch (Exception e) when (e is ObjectDisposedException or HttpListenerException) { }
    }
}
