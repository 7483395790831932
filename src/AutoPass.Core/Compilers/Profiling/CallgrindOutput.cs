using System.Globalization;

namespace AutoPass.Core.Compilers.Profiling;

/// <summary>
/// Reads a callgrind.out file directly (no callgrind_annotate, which is Perl): self cost of the first event (Ir)
/// per function. Handles name compression "(id) name" / "(id)", and skips the inclusive cost line after "calls=".
/// </summary>
internal static class CallgrindOutput
{
    public static IReadOnlyList<HotFunction> Parse(string text)
    {
        var functionNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var objectNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var self = new Dictionary<(string Fn, string? Ob), long>();
        int positions = 1;
        long? totals = null;
        string? currentFn = null, currentOb = null;
        bool skipNext = false;

        foreach (var raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (line.StartsWith("positions:", StringComparison.Ordinal))
                positions = line["positions:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            else if (line.StartsWith("totals:", StringComparison.Ordinal) || line.StartsWith("summary:", StringComparison.Ordinal))
                totals = long.Parse(line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
            else if (line.StartsWith("ob=", StringComparison.Ordinal))
                currentOb = Name(line[3..], objectNames);
            else if (line.StartsWith("fn=", StringComparison.Ordinal))
                currentFn = Name(line[3..], functionNames);
            else if (line.StartsWith("cfn=", StringComparison.Ordinal))
                Name(line[4..], functionNames);
            else if (line.StartsWith("cob=", StringComparison.Ordinal))
                Name(line[4..], objectNames);
            else if (line.StartsWith("calls=", StringComparison.Ordinal))
                skipNext = true;
            else if (char.IsAsciiDigit(line[0]) || line[0] is '+' or '-' or '*')
            {
                if (skipNext) { skipNext = false; continue; }
                if (currentFn is null) continue;
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length <= positions) continue;
                long cost = long.Parse(fields[positions], CultureInfo.InvariantCulture);
                var key = (currentFn, currentOb);
                self[key] = self.GetValueOrDefault(key) + cost;
            }
        }
        long total = totals ?? self.Values.Sum();
        if (total <= 0) return [];
        return self.Where(kv => kv.Value > 0)
            .Select(kv => new HotFunction(kv.Key.Fn, kv.Key.Ob, kv.Value, (double)kv.Value / total))
            .OrderByDescending(f => f.Instructions).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>"(12) name" defines id 12; "(12)" refers to it; a bare name is itself.</summary>
    private static string Name(string spec, Dictionary<string, string> names)
    {
        spec = spec.Trim();
        if (!spec.StartsWith('(')) return spec;
        int close = spec.IndexOf(')');
        if (close < 0) return spec;
        string id = spec[..(close + 1)];
        string rest = spec[(close + 1)..].Trim();
        if (rest.Length > 0) names[id] = rest;
        return names.GetValueOrDefault(id, id);
    }
}
