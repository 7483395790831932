using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Search;

/// <summary>
/// Combines what looked like it helped: the measured programs whose estimate is above the minimum effect (confident
/// winners first, then the best estimates a short race left unproven) and that slow no benchmark, as growing prefixes.
/// On real projects single edits gain 1-3%, which a race of a few pairs seldom proves; their sum often clears it (what
/// random groups find by luck, this builds on purpose). A member whose options clash with the set so far is skipped.
/// </summary>
internal sealed class PromisingCombination : ICandidateSource
{
    public string Name => "combine-promising";

    /// <summary>How many of the best measured programs a combination draws on.</summary>
    public const int Members = 8;

    public Task<IReadOnlyList<Candidate>> ProposeAsync(SearchState state, int count, CancellationToken cancellationToken)
    {
        var members = state.Winners
            .Concat(state.Measured.Where(t => t.ReusedFrom is null && t.Verdict!.Decision is not (SpeedupDecision.Faster or SpeedupDecision.Slower)
                                              && t.Verdict.Speedup > 1 + t.Verdict.MinEffect))
            .Where(t => t.Flags.Count > 0 && t.SlowsNoBenchmark())
            .DistinctBy(t => t.BinaryHash ?? string.Join(' ', t.Flags))
            .Take(Members).ToList();
        var proposals = new List<Candidate>();
        var units = new List<FlagUnit>();
        var options = new HashSet<string>(StringComparer.Ordinal);
        var used = new List<string>();
        foreach (var member in members)
        {
            if (proposals.Count >= count) break;
            var added = FlagUnit.Split(member.Flags).Where(u => !units.Any(x => x.Display == u.Display)).ToList();
            if (added.Count == 0 || added.Any(u => options.Contains(OptionOf(u)))) continue;
            units.AddRange(added);
            foreach (var u in added) options.Add(OptionOf(u));
            used.Add($"{string.Join(' ', member.Flags)} {member.Verdict!.Speedup:0.000}x");
            if (used.Count < 2) continue;
            var flags = FlagUnit.Join(units);
            if (state.WasTried(flags) || !state.Policy.Admits(flags)) continue;
            proposals.Add(new Candidate(flags, Name, $"combine the {used.Count} best estimates ({string.Join(", ", used)})"));
        }
        return Task.FromResult<IReadOnlyList<Candidate>>(proposals);
    }

    /// <summary>The option a unit sets, whatever its value: -fX and -fno-X, one --param name, one -O level, one -mllvm option.</summary>
    internal static string OptionOf(FlagUnit unit)
    {
        string flag = unit.Arguments[^1];
        if (SearchState.ParameterName(flag) is { } parameter) return "--param=" + parameter;
        if (flag.StartsWith("-O", StringComparison.Ordinal)) return "-O";
        if (flag.StartsWith("-fno-", StringComparison.Ordinal)) flag = "-f" + flag[5..];
        else if (flag.StartsWith("-mno-", StringComparison.Ordinal)) flag = "-m" + flag[5..];
        int eq = flag.IndexOf('=');
        return (unit.IsLlvmOption ? "-mllvm " : "") + (eq > 0 ? flag[..eq] : flag);
    }
}
