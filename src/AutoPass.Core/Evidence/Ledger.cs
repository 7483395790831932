using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoPass.Core.Evidence;

/// <summary>What a ledger holds: its lines in order, and how many could not be read.</summary>
/// <param name="SkippedLines">Lines cut short by a kill, or of a shape this version does not know; skipped.</param>
internal sealed record LedgerContents(IReadOnlyList<LedgerLine> Lines, int SkippedLines);

/// <summary>
/// The session's append-only record (<see cref="LedgerLine"/>): one JSON object per line, flushed as it is
/// written, so a killed session loses at most the line in flight; the next append starts on a fresh line.
/// </summary>
internal sealed class Ledger : ILedgerSink
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // Rank-based bounds are infinite with very few pairs; keep them rather than fail the session.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();

    public string Path { get; }

    public Ledger(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
        // A kill can leave the last line half-written; never glue the next line onto it.
        if (stream.Length > 0 && LastByte(path) != (byte)'\n') _writer.WriteLine();
    }

    /// <summary>A line as the ledger writes it: one JSON object, no line break.</summary>
    public static string Text(LedgerLine line) => JsonSerializer.Serialize(line, JsonOptions);

    public void Append(LedgerLine line)
    {
        string json = Text(line);
        lock (_gate) _writer.WriteLine(json);
    }

    public void AppendAll(IEnumerable<LedgerLine> lines)
    {
        foreach (var line in lines) Append(line);
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>An enum value as the ledger writes it ("not-run", "screen").</summary>
    public static string EnumText<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value, JsonOptions).Trim('"');

    /// <summary>Every line of a ledger; a line that is not a ledger line of this schema is skipped and counted.</summary>
    public static LedgerContents Read(string path)
    {
        var lines = new List<LedgerLine>();
        int skipped = 0;
        // The session's own writer may hold the file open (the report is made from the ledger as the session ends).
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), Encoding.UTF8);
        while (reader.ReadLine() is { } text)
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                if (JsonSerializer.Deserialize<LedgerLine>(text, JsonOptions) is { } line) lines.Add(line);
                else skipped++;
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
            {
                skipped++;
            }
        }
        return new LedgerContents(lines, skipped);
    }

    /// <summary>The lines of the last session in the ledger (from its last session header on).</summary>
    public static IReadOnlyList<LedgerLine> LastSession(string path) => LastSession(Read(path).Lines);

    /// <summary>The lines of the last session among <paramref name="lines"/> (from its last session header on).</summary>
    public static IReadOnlyList<LedgerLine> LastSession(IReadOnlyList<LedgerLine> lines)
    {
        int start = lines.Select((l, i) => (l, i)).LastOrDefault(x => x.l is SessionLine).i;
        return lines.Skip(start).ToList();
    }

    private static byte LastByte(string path)
    {
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (read.Length == 0) return (byte)'\n';
        read.Seek(-1, SeekOrigin.End);
        return (byte)read.ReadByte();
    }
}
