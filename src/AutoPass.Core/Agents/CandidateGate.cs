using AutoPass.Core.Agents.Builtin;
using AutoPass.Core.Evidence;
using AutoPass.Core.Search;

namespace AutoPass.Core.Agents;

/// <summary>
/// Turns proposals into candidates. Every flag goes through <see cref="Policy.FlagPolicy.Evaluate"/>, whatever
/// proposed it; refused, unknown and repeated flags are dropped with the reason, for the ledger.
/// </summary>
internal static class CandidateGate
{
    public sealed record Result(IReadOnlyList<Candidate> Kept, IReadOnlyList<DroppedFlag> Dropped);

    public static Result Apply(IEnumerable<Proposal> proposals, SearchState state, string origin, int count, ISet<string> keysTaken)
    {
        var kept = new List<Candidate>();
        var dropped = new List<DroppedFlag>();
        foreach (var proposal in proposals)
        {
            var flags = new List<string>();
            foreach (var flag in Normalize(proposal.Flags))
            {
                if (Refusal(flag, state) is { } reason) dropped.Add(new DroppedFlag(flag, reason));
                else if (flags.Contains(flag)) continue;
                else if (state.BaselineFlags.Contains(flag)) dropped.Add(new DroppedFlag(flag, "already in the baseline flags"));
                else flags.Add(flag);
            }
            string key = string.Join(' ', flags);
            if (proposal.Flags.Count == 0)
                dropped.Add(new DroppedFlag("", "empty proposal"));
            else if (flags.Count == 0)
                continue; // every flag is already recorded with its reason
            else if (state.WasTried(flags))
                dropped.Add(new DroppedFlag(key, "already tried"));
            else if (!keysTaken.Add(key))
                dropped.Add(new DroppedFlag(key, "proposed twice"));
            else if (kept.Count >= count)
                dropped.Add(new DroppedFlag(key, $"more than the {count} candidates asked for"));
            else
                kept.Add(new Candidate(flags, origin, proposal.Rationale));
        }
        return new Result(kept, dropped);
    }

    /// <summary>The policy decides; the catalog adds what the policy may not know (unknown names, out-of-range values).</summary>
    private static string? Refusal(string flag, SearchState state)
    {
        var decision = state.Policy.Evaluate(flag);
        if (!decision.Allowed) return decision.Reason ?? "refused by the policy";
        bool catalogSpelling = flag.StartsWith("--param=", StringComparison.Ordinal) || flag.StartsWith("-f", StringComparison.Ordinal);
        if (!catalogSpelling || flag is "-flto" or "-flto=auto" or "-fuse-linker-plugin") return null;
        if (!state.Catalog.Knows(flag))
            return $"not an optimization option of {state.Catalog.Compiler.Id} {state.Catalog.Compiler.Version}";
        var definition = state.Catalog.Find(TunableFlags.NameOf(flag));
        if (definition is { Kind: Compilers.FlagKind.Parameter } && flag.StartsWith("--param=", StringComparison.Ordinal))
        {
            string value = flag[(flag.LastIndexOf('=') + 1)..];
            if (!long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long n))
                return "parameter value is not an integer";
            if (n < (definition.Min ?? long.MinValue) || n > (definition.Max ?? long.MaxValue))
                return $"value outside the parameter's range <{definition.Min},{definition.Max}>";
        }
        if (definition is { Kind: Compilers.FlagKind.Enum, Values: { } values } && flag.Contains('=')
            && !values.Contains(flag[(flag.IndexOf('=') + 1)..]))
            return $"value not one of {string.Join('|', values)}";
        return null;
    }

    /// <summary>Models write "--param name=value" as one string or two; the compiler wants "--param=name=value".</summary>
    private static IEnumerable<string> Normalize(IReadOnlyList<string> flags)
    {
        for (int i = 0; i < flags.Count; i++)
        {
            string flag = flags[i].Trim();
            if (flag == "--param" && i + 1 < flags.Count) yield return "--param=" + flags[++i].Trim();
            else if (flag.StartsWith("--param ", StringComparison.Ordinal) && flag.Count(char.IsWhiteSpace) == 1)
                yield return "--param=" + flag["--param ".Length..];
            else yield return flag;
        }
    }
}
