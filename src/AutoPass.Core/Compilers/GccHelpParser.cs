using System.Globalization;
using System.Text.RegularExpressions;

namespace AutoPass.Core.Compilers;

/// <summary>
/// Reads gcc's <c>-Q --help=optimizers</c> and <c>-Q --help=params</c>. Each line is the option, padding (spaces
/// and tabs), then its state: <c>[enabled]</c>/<c>[disabled]</c>, a value, <c>[default]</c>, an alias target,
/// <c>[available in ...]</c> (other languages), or nothing. Lines not understood are skipped, never guessed.
/// </summary>
internal static partial class GccHelpParser
{
    public static IReadOnlyList<FlagDefinition> ParseOptimizers(string helpText)
    {
        var flags = new List<FlagDefinition>();
        foreach (var raw in Lines(helpText))
        {
            var m = OptionLine().Match(raw);
            if (!m.Success) continue;
            string name = m.Groups["name"].Value, state = m.Groups["state"].Value.Trim();
            if (state.StartsWith("[available in", StringComparison.Ordinal)) continue;
            // An alias ("-fhandle-exceptions  -fexceptions"): the target has its own line.
            if (state.StartsWith('-')) continue;

            if (m.Groups["values"].Success)
            {
                var values = m.Groups["values"].Value.Split('|', StringSplitOptions.RemoveEmptyEntries);
                string? baseline = state.Length == 0 || state.StartsWith('[') ? null : state;
                flags.Add(new FlagDefinition(name, FlagKind.Enum, Values: values, BaselineValue: baseline));
            }
            else if (m.Groups["min"].Success)
            {
                long min = long.Parse(m.Groups["min"].Value, CultureInfo.InvariantCulture);
                long max = long.Parse(m.Groups["max"].Value, CultureInfo.InvariantCulture);
                long? value = long.TryParse(state, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
                flags.Add(new FlagDefinition(name, FlagKind.Parameter, Min: min, Max: max, Default: value));
            }
            else if (m.Groups["eq"].Success || m.Groups["placeholder"].Success)
            {
                // "-falign-loops=  16:11:8" or "-fpack-struct=<number>": a value without a stated domain; not tunable as data.
                continue;
            }
            else if (state is "[enabled]" or "[disabled]" || state.Length == 0)
            {
                // Toggles are named by their positive form; a line spelled -fno-X states the opposite.
                bool negative = name.StartsWith("-fno-", StringComparison.Ordinal);
                string canonical = negative ? "-f" + name["-fno-".Length..] : name;
                // No state (e.g. -fdelete-null-pointer-checks): a real toggle whose state gcc does not report.
                bool? enabled = state.Length == 0 ? null : (state == "[enabled]") != negative;
                flags.Add(new FlagDefinition(canonical, FlagKind.Toggle, EnabledAtBaseline: enabled));
            }
        }
        return Distinct(flags);
    }

    public static IReadOnlyList<FlagDefinition> ParseParams(string helpText)
    {
        var flags = new List<FlagDefinition>();
        foreach (var raw in Lines(helpText))
        {
            var m = ParamLine().Match(raw);
            if (!m.Success) continue;
            string name = m.Groups["name"].Value, state = m.Groups["state"].Value.Trim();
            if (state.StartsWith("[available in", StringComparison.Ordinal)) continue;
            if (m.Groups["values"].Success)
            {
                var values = m.Groups["values"].Value.Split('|', StringSplitOptions.RemoveEmptyEntries);
                flags.Add(new FlagDefinition(name, FlagKind.Enum, Values: values, Syntax: FlagSyntax.GccParam,
                    BaselineValue: state.Length == 0 ? null : state));
                continue;
            }
            if (!long.TryParse(state, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) continue;
            long? min = m.Groups["min"].Success ? long.Parse(m.Groups["min"].Value, CultureInfo.InvariantCulture) : null;
            long? max = m.Groups["max"].Success ? long.Parse(m.Groups["max"].Value, CultureInfo.InvariantCulture) : null;
            flags.Add(new FlagDefinition(name, FlagKind.Parameter, Min: min, Max: max, Default: value, Syntax: FlagSyntax.GccParam));
        }
        return Distinct(flags);
    }

    private static IEnumerable<string> Lines(string text) => text.Replace("\r", "", StringComparison.Ordinal).Split('\n');

    // "-flifetime-dse [enabled]" and "-flifetime-dse=<0,2> 2" are one option: a toggle that also takes a level.
    private static List<FlagDefinition> Distinct(List<FlagDefinition> flags) =>
        flags.GroupBy(f => f.Name, StringComparer.Ordinal).Select(g =>
        {
            var first = g.First();
            var level = g.FirstOrDefault(f => f.Kind == FlagKind.Parameter);
            return first.Kind == FlagKind.Toggle && level is not null
                ? first with { Min = level.Min, Max = level.Max, Default = level.Default }
                : first;
        }).ToList();

    [GeneratedRegex(@"^\s+(?<name>-f[a-zA-Z0-9][a-zA-Z0-9_-]*)(?:=\[(?<values>[^\]]+)\]|=<(?<min>-?\d+),(?<max>-?\d+)>|=<(?<placeholder>[a-z]+)>|(?<eq>=))?(?:[ \t]+(?<state>.*?))?[ \t]*$")]
    private static partial Regex OptionLine();

    [GeneratedRegex(@"^\s+--param=(?<name>[a-zA-Z0-9][a-zA-Z0-9_-]*)=(?:\[(?<values>[^\]]+)\]|<(?<min>-?\d+),(?<max>-?\d+)>)?(?:[ \t]+(?<state>.*?))?[ \t]*$")]
    private static partial Regex ParamLine();
}
