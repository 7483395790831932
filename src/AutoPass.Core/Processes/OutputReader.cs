using System.Security.Cryptography;

namespace AutoPass.Core.Processes;

/// <summary>
/// Reads one output stream of a process as it is written: hashes every byte, keeps the first and the last
/// <c>keepBytes</c>, copies everything to a file when asked, and stops at a limit. Memory stays bounded
/// whatever the process prints.
/// </summary>
internal sealed class OutputReader
{
    private const int ChunkBytes = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly int _keepBytes;
    private readonly MemoryStream _head = new();
    private byte[]? _tail;    // a ring of the last _keepBytes, once the head is full
    private long _tailBytes;  // bytes written to the ring so far
    private long _length;
    private bool _overLimit;

    private OutputReader(int keepBytes) => _keepBytes = keepBytes;

    /// <summary>Ends when the stream does (every writer closed it), when the limit is reached, or when reading fails.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <param name="onLimit">Called once when the stream goes past <paramref name="limit"/>; reading stops there.</param>
    public static OutputReader Start(Stream source, int keepBytes, long limit = long.MaxValue, Stream? copy = null, Action? onLimit = null)
    {
        var reader = new OutputReader(keepBytes);
        reader.Completion = Task.Run(() => reader.ReadAsync(source, limit, copy, onLimit));
        return reader;
    }

    /// <summary>What has been read so far (all of it once <see cref="Completion"/> has ended).</summary>
    public CapturedOutput Result()
    {
        lock (_gate)
        {
            byte[] tail = [];
            if (_tail is not null)
            {
                int kept = (int)Math.Min(_tailBytes, _keepBytes);
                int start = (int)((_tailBytes - kept) % _keepBytes);
                tail = new byte[kept];
                int first = Math.Min(kept, _keepBytes - start);
                Array.Copy(_tail, start, tail, 0, first);
                Array.Copy(_tail, 0, tail, first, kept - first);
            }
            return new CapturedOutput(_length, _hash.GetCurrentHash(), _head.ToArray(), tail, _overLimit);
        }
    }

    private async Task ReadAsync(Stream source, long limit, Stream? copy, Action? onLimit)
    {
        var buffer = new byte[ChunkBytes];
        while (true)
        {
            int read;
            try
            {
                read = await source.ReadAsync(buffer).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                return; // the pipe was closed under us: what was read is the result
            }
            if (read == 0) return;
            int taken = (int)Math.Min(read, limit - _length);
            Append(buffer.AsSpan(0, taken));
            try
            {
                if (copy is not null) await copy.WriteAsync(buffer.AsMemory(0, taken)).ConfigureAwait(false);
                if (taken < read)
                {
                    lock (_gate) _overLimit = true;
                    onLimit?.Invoke();
                    return;
                }
            }
            catch (ObjectDisposedException)
            {
                return; // the run gave up on this stream (it stayed open past the grace period)
            }
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _hash.AppendData(bytes);
            _length += bytes.Length;
            int toHead = (int)Math.Min(bytes.Length, _keepBytes - _head.Length);
            _head.Write(bytes[..toHead]);
            bytes = bytes[toHead..];
            if (bytes.IsEmpty) return;
            _tail ??= new byte[_keepBytes];
            // Only the last _keepBytes of a large chunk can survive in the ring.
            if (bytes.Length > _keepBytes)
            {
                _tailBytes += bytes.Length - _keepBytes;
                bytes = bytes[^_keepBytes..];
            }
            while (!bytes.IsEmpty)
            {
                int at = (int)(_tailBytes % _keepBytes);
                int n = Math.Min(bytes.Length, _keepBytes - at);
                bytes[..n].CopyTo(_tail.AsSpan(at));
                _tailBytes += n;
                bytes = bytes[n..];
            }
        }
    }
}
