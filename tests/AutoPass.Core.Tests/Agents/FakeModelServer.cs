using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace AutoPass.Core.Tests.Agents;

/// <summary>What the fake server does with one chat request.</summary>
public abstract record ChatScript
{
    public sealed record Reply(string Content) : ChatScript;
    public sealed record Status(int Code) : ChatScript;
    /// <summary>Accepts the request and never answers (until the server is disposed).</summary>
    public sealed record Stall : ChatScript;
}

/// <summary>
/// What the fake model servers share: a listener on a free 127.0.0.1 port, each request read and answered on its own
/// task, chat replies from a script in order (a 500 once it runs out), JSON answers. The protocol is the subclass's.
/// </summary>
public abstract class FakeModelServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Queue<ChatScript> _script;
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Guards the script and each subclass's record of requests.</summary>
    protected Lock Gate { get; } = new();

    /// <remarks>Subclasses call <see cref="Start"/> at the end of their constructor, once their own fields are set.</remarks>
    /// <param name="host">The address it listens on: the loopback, unless a test needs another of this machine's.</param>
    protected FakeModelServer(IEnumerable<ChatScript> script, IPAddress? host = null)
    {
        _script = new Queue<ChatScript>(script);
        Host = host ?? IPAddress.Loopback;
        (_listener, Port) = Listen(Host);
    }

    public int Port { get; }

    public IPAddress Host { get; }

    /// <summary>One IPv4 address of this machine that is not a loopback address, or null when it has none.</summary>
    public static IPAddress? NonLoopbackAddress() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses.Select(a => a.Address))
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    protected void Start() => _ = Task.Run(ServeAsync);

    /// <summary>Answers one request; <paramref name="body"/> is its JSON body, null when it has none.</summary>
    protected abstract Task RouteAsync(HttpListenerContext context, string path, JsonObject? body);

    /// <summary>The next scripted chat reply.</summary>
    protected ChatScript NextReply()
    {
        lock (Gate) return _script.Count > 0 ? _script.Dequeue() : new ChatScript.Status(500);
    }

    /// <summary>Never answers, until the server is disposed.</summary>
    protected Task StallAsync() => Task.Delay(Timeout.Infinite, _stop.Token);

    /// <summary>A listener on a free port: another test can take the probed port before it is bound, so try again.</summary>
    private static (HttpListener, int) Listen(IPAddress host)
    {
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort(host);
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://{host}:{port}/");
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

    public static int FreePort(IPAddress? host = null)
    {
        var probe = new TcpListener(host ?? IPAddress.Loopback, 0);
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
            string text = await new StreamReader(context.Request.InputStream, Encoding.UTF8).ReadToEndAsync();
            await RouteAsync(context, context.Request.Url!.AbsolutePath, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null);
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

    protected static async Task WriteJsonAsync(HttpListenerContext context, JsonObject body)
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
        GC.SuppressFinalize(this);
    }
}
