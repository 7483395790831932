using System.Text;

namespace AutoPass.Core.Processes;

/// <summary>
/// What a process wrote to one stream, in bounded memory: its length and SHA-256 over every byte (what outputs
/// are compared by), and its first and last bytes (what messages quote). Bytes are compared, never decoded text:
/// decoding turns every invalid UTF-8 sequence into the same replacement character.
/// </summary>
internal sealed class CapturedOutput
{
    private readonly byte[] _head;
    private readonly byte[] _tail;

    internal CapturedOutput(long length, byte[] sha256, byte[] head, byte[] tail, bool overLimit)
    {
        Length = length;
        Sha256 = Convert.ToHexStringLower(sha256);
        _head = head;
        _tail = tail;
        OverLimit = overLimit;
    }

    /// <summary>Bytes read (exactly the limit when <see cref="OverLimit"/>).</summary>
    public long Length { get; }

    /// <summary>SHA-256 of the bytes read, lower-case hex.</summary>
    public string Sha256 { get; }

    /// <summary>Reading stopped at the limit: the stream went on, so length and hash cover only a prefix.</summary>
    public bool OverLimit { get; }

    /// <summary>Whether the two streams hold the same bytes (never true when either went past its limit).</summary>
    public bool SameBytesAs(CapturedOutput other) =>
        !OverLimit && !other.OverLimit && Length == other.Length && Sha256 == other.Sha256;

    /// <summary>The text, for messages and parsing: whole when it was small, else its head and tail around a marker.</summary>
    public string Text
    {
        get
        {
            long skipped = Length - _head.Length - _tail.Length;
            return skipped <= 0
                ? Encoding.UTF8.GetString([.. _head, .. _tail])
                : Encoding.UTF8.GetString(_head) + $"\n[... {skipped} bytes not kept ...]\n" + Encoding.UTF8.GetString(_tail);
        }
    }

    /// <summary>The last non-empty line, for messages.</summary>
    public string LastLine =>
        Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    /// <summary>
    /// Where two outputs first differ, as a phrase for messages (offset and bytes), when that is within the kept
    /// head; null otherwise.
    /// </summary>
    public string? FirstDifference(CapturedOutput other)
    {
        int common = Math.Min(_head.Length, other._head.Length);
        int at = _head.AsSpan(0, common).CommonPrefixLength(other._head.AsSpan(0, common));
        if (at < common) return $"at byte {at}: 0x{_head[at]:x2} against 0x{other._head[at]:x2}";
        if (_head.Length != other._head.Length && Length == _head.Length && other.Length == other._head.Length)
            return $"at byte {at}: one ends there";
        return null;
    }
}
