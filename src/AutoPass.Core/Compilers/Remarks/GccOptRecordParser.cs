using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace AutoPass.Core.Compilers.Remarks;

/// <summary>
/// Reads gcc's <c>-fsave-optimization-record</c> output (gzip'd JSON: [header, passes, records]). Preferred to
/// <c>-fopt-info</c> text because each record names its function and its pass's option group (vec, loop, inline).
/// </summary>
internal static class GccOptRecordParser
{
    public static IReadOnlyList<Remark> ParseFile(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gzip);
        return Parse(doc.RootElement);
    }

    public static IReadOnlyList<Remark> Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() < 3) return [];
        var groups = new Dictionary<string, (string Name, string[] Groups)>(StringComparer.Ordinal);
        CollectPasses(root[1], groups);
        var remarks = new List<Remark>();
        CollectRecords(root[2], groups, remarks);
        return remarks;
    }

    private static void CollectPasses(JsonElement passes, Dictionary<string, (string, string[])> into)
    {
        if (passes.ValueKind != JsonValueKind.Array) return;
        foreach (var p in passes.EnumerateArray())
        {
            if (p.TryGetProperty("id", out var id) && p.TryGetProperty("name", out var name))
                into[id.GetString() ?? ""] = (name.GetString() ?? "",
                    p.TryGetProperty("optgroups", out var g) ? g.EnumerateArray().Select(x => x.GetString() ?? "").ToArray() : []);
            if (p.TryGetProperty("children", out var children)) CollectPasses(children, into);
        }
    }

    private static void CollectRecords(JsonElement records, Dictionary<string, (string Name, string[] Groups)> passes, List<Remark> into)
    {
        if (records.ValueKind != JsonValueKind.Array) return;
        foreach (var r in records.EnumerateArray())
        {
            if (r.TryGetProperty("children", out var children)) CollectRecords(children, passes, into);
            string kind = r.TryGetProperty("kind", out var k) ? k.GetString() ?? "" : "";
            if (kind is not ("success" or "failure")) continue;
            if (!r.TryGetProperty("location", out var loc)) continue;
            var (passName, optgroups) = r.TryGetProperty("pass", out var p) && passes.TryGetValue(p.GetString() ?? "", out var found) ? found : ("", []);
            var (message, symbols) = Message(r);
            var topic = Topic(optgroups, message);
            string? function = r.TryGetProperty("function", out var fn) ? fn.GetString() : null;
            string? callee = symbols.FirstOrDefault();
            // "not inlinable: caller/N -> callee/M, reason" carries no function field; the symbols say who.
            if (topic == RemarkTopic.Inline && message.StartsWith("not inlinable", StringComparison.Ordinal) && symbols.Count >= 2)
                (function, callee) = (function ?? symbols[0], symbols[1]);
            if (function is null) continue;
            into.Add(new Remark(kind == "success" ? RemarkKind.Passed : RemarkKind.Missed, topic, passName, function,
                loc.TryGetProperty("file", out var f) ? f.GetString() ?? "" : "", loc.TryGetProperty("line", out var l) ? l.GetInt32() : 0,
                message, topic == RemarkTopic.Inline ? callee : null));
        }
    }

    private static RemarkTopic Topic(string[] optgroups, string message)
    {
        if (optgroups.Contains("vec")) return RemarkTopic.Vectorize;
        if (optgroups.Contains("inline")) return RemarkTopic.Inline;
        // "loop turned into non-loop; it never loops" is cleanup after vectorization, not unrolling.
        if (optgroups.Contains("loop") && (message.Contains("unrolled", StringComparison.Ordinal) || message.Contains("peeled", StringComparison.Ordinal)))
            return RemarkTopic.Unroll;
        return RemarkTopic.Other;
    }

    /// <summary>The message text, and the functions it names (gcc's "name/order" with the order removed).</summary>
    private static (string Text, List<string> Symbols) Message(JsonElement record)
    {
        var text = new StringBuilder();
        var symbols = new List<string>();
        if (!record.TryGetProperty("message", out var parts)) return ("", symbols);
        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.String) { text.Append(part.GetString()); continue; }
            foreach (var key in (string[])["symtab_node", "expr", "stmt"])
                if (part.TryGetProperty(key, out var v))
                {
                    string s = v.GetString() ?? "";
                    if (key == "symtab_node")
                    {
                        int slash = s.LastIndexOf('/');
                        s = slash > 0 ? s[..slash] : s;
                        symbols.Add(s);
                    }
                    text.Append(s.TrimEnd('\n'));
                }
        }
        return (string.Join(' ', text.ToString().Split(['\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim(), symbols);
    }
}
