using System.Net;
using System.Net.Sockets;

namespace AutoPass.Core.Tests.Evidence;

/// <summary>
/// A loopback TCP relay to a server, which a test can cut (every connection closed, nothing listening) and put back
/// on the same port: the network between a session and its trial store, lost and found.
/// </summary>
internal sealed class TcpRelay : IDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly Lock _gate = new();
    private readonly List<Socket> _open = [];
    private TcpListener? _listener;

    public int Port { get; }

    public TcpRelay(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        Port = Listen(0);
    }

    /// <summary>Closes the relay's listener and every connection through it.</summary>
    public void Cut()
    {
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            foreach (var socket in _open) socket.Dispose();
            _open.Clear();
        }
    }

    /// <summary>Listens again on the same port.</summary>
    public void Restore() => Listen(Port);

    public void Dispose() => Cut();

    private int Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        lock (_gate) _listener = listener;
        _ = AcceptAsync(listener);
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            Socket client;
            try { client = await listener.AcceptSocketAsync(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try { await server.ConnectAsync(_targetHost, _targetPort); }
            catch (SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }
            lock (_gate)
            {
                if (_listener != listener)
                {
                    client.Dispose();
                    server.Dispose();
                    return;
                }
                _open.Add(client);
                _open.Add(server);
            }
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer);
                if (read == 0) break;
                await to.SendAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        from.Dispose();
        to.Dispose();
    }
}
