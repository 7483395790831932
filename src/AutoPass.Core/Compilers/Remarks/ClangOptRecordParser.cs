using System.Text;
using System.Text.RegularExpressions;

namespace AutoPass.Core.Compilers.Remarks;

/// <summary>
/// Reads clang's <c>-fsave-optimization-record</c> YAML: documents "--- !Passed|!Missed|!Analysis" with Pass, Name,
/// DebugLoc, Function and an Args list whose values, concatenated, are the message. Only that flat subset of YAML is
/// read, as LLVM writes it.
/// </summary>
internal static partial class ClangOptRecordParser
{
    public static IReadOnlyList<Remark> Parse(string yaml)
    {
        var remarks = new List<Remark>();
        Document? doc = null;
        bool inArgs = false;
        foreach (var raw in JoinFlowMappings(yaml.Replace("\r", "", StringComparison.Ordinal).Split('\n')))
        {
            if (raw.StartsWith("--- !", StringComparison.Ordinal))
            {
                Flush(doc, remarks);
                doc = new Document { Kind = raw["--- !".Length..].Trim() };
                inArgs = false;
                continue;
            }
            if (doc is null) continue;
            if (raw == "...") { Flush(doc, remarks); doc = null; continue; }
            if (!raw.StartsWith(' ') && TopLevel().Match(raw) is { Success: true } top)
            {
                string key = top.Groups["key"].Value, value = top.Groups["value"].Value;
                inArgs = key == "Args";
                switch (key)
                {
                    case "Pass": doc.Pass = Unquote(value); break;
                    case "Name": doc.Name = Unquote(value); break;
                    case "Function": doc.Function = Unquote(value); break;
                    case "DebugLoc" when DebugLoc().Match(value) is { Success: true } loc:
                        doc.File = Unquote(loc.Groups["file"].Value.Trim());
                        doc.Line = int.Parse(loc.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
                        break;
                }
                continue;
            }
            if (inArgs && ArgLine().Match(raw) is { Success: true } arg)
            {
                string key = arg.Groups["key"].Value, value = Unquote(arg.Groups["value"].Value);
                if (key == "DebugLoc") continue;
                if (key == "Callee") doc.Callee ??= value;
                doc.Message.Append(value);
            }
        }
        Flush(doc, remarks);
        return remarks;
    }

    /// <summary>LLVM wraps long flow mappings ("{ File: '/long/path', \n Line: 4, Column: 3 }") over lines; rejoin them.</summary>
    private static IEnumerable<string> JoinFlowMappings(string[] lines)
    {
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            bool open = line.TrimStart().StartsWith("DebugLoc:", StringComparison.Ordinal) || line.TrimStart().StartsWith("- DebugLoc:", StringComparison.Ordinal);
            while (open && line.Contains('{', StringComparison.Ordinal) && !line.Contains('}', StringComparison.Ordinal) && i + 1 < lines.Length)
                line += " " + lines[++i].Trim();
            yield return line;
        }
    }

    private sealed class Document
    {
        public string Kind = "", Pass = "", Name = "", Function = "", File = "";
        public int Line;
        public string? Callee;
        public readonly StringBuilder Message = new();
    }

    private static void Flush(Document? d, List<Remark> into)
    {
        if (d is null || d.Function.Length == 0) return;
        var kind = d.Kind switch { "Passed" => RemarkKind.Passed, "Missed" => RemarkKind.Missed, _ => RemarkKind.Analysis };
        var topic = d.Pass switch
        {
            "loop-vectorize" => RemarkTopic.Vectorize,
            "loop-unroll" or "loop-unroll-full" or "loop-peel" => RemarkTopic.Unroll,
            "inline" or "always-inline" => RemarkTopic.Inline,
            _ => RemarkTopic.Other,
        };
        into.Add(new Remark(kind, topic, d.Pass, d.Function, d.File, d.Line, d.Message.ToString().Trim(), topic == RemarkTopic.Inline ? d.Callee : null));
    }

    private static string Unquote(string value)
    {
        value = value.Trim();
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'') return value[1..^1].Replace("''", "'", StringComparison.Ordinal);
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') return Regex.Unescape(value[1..^1]);
        return value;
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z]+):\s*(?<value>.*)$")]
    private static partial Regex TopLevel();

    [GeneratedRegex(@"^\s+-\s+(?<key>[A-Za-z]+):\s*(?<value>.*)$")]
    private static partial Regex ArgLine();

    [GeneratedRegex(@"File:\s*(?<file>[^,]+),\s*Line:\s*(?<line>\d+)")]
    private static partial Regex DebugLoc();
}
