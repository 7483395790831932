using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AutoPass.Core.Evidence;

/// <summary>
/// The session's append-only record: one JSON object per line, flushed as it is written, so a killed
/// session loses at most the line in flight. Each line has a "type": session, trial, agent, note.
/// </summary>
public sealed class Ledger : IDisposable
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
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public void Append<T>(string type, T entry)
    {
        var node = JsonSerializer.SerializeToNode(entry, JsonOptions) as JsonObject ?? throw new ArgumentException("Ledger entries must be objects.");
        var line = new JsonObject { ["type"] = type };
        foreach (var (key, value) in node.ToList())
        {
            node.Remove(key);
            line[key] = value;
        }
        lock (_gate) _writer.WriteLine(line.ToJsonString(JsonOptions));
    }

    /// <summary>An enum value as the ledger writes it ("not-run", "screen").</summary>
    public static string EnumText<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value, JsonOptions).Trim('"');

    public void Dispose() => _writer.Dispose();

    /// <summary>Reads back every line of a ledger with its type.</summary>
    public static IEnumerable<(string Type, JsonObject Entry)> Read(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonObject? obj;
            try { obj = JsonNode.Parse(line) as JsonObject; }
            catch (JsonException) { continue; } // a line cut short by a kill
            if (obj?["type"]?.GetValue<string>() is { } type) yield return (type, obj);
        }
    }

    public static IEnumerable<TrialRecord> ReadTrials(string path) =>
        Read(path).Where(e => e.Type == "trial").Select(e => e.Entry.Deserialize<TrialRecord>(JsonOptions)!);
}
