using System.Globalization;
using AutoPass.Core.Compilers;

namespace AutoPass.Core.Search;

/// <summary>
/// Tunes numeric parameters that steer unrolling, inlining and vectorization, on top of the best
/// confident winner (or the baseline): each parameter scaled from its default (x0.5, x2, x4), clamped to the compiler's range.
/// </summary>
/// <param name="perRace">Variants of one start a race takes at most (<see cref="PerRace"/>; unlimited under the first search rules).</param>
/// <param name="skipInert">Leave out parameters a trial showed inert in this program (<see cref="SearchState.InertParameters"/>; not under the first rules).</param>
internal sealed class ParameterTuning(int perRace = ParameterTuning.PerRace, bool skipInert = true) : ICandidateSource
{
    /// <summary>The parameter tuning of the search rules <paramref name="rules"/> (<see cref="SearchDriver.CurrentRules"/>).</summary>
    public static ParameterTuning By(int rules) => rules >= 2 ? new() : new(int.MaxValue, skipInert: false);

    public string Name => "params";

    /// <summary>gcc parameters known to trade code size for speed in loops and calls.</summary>
    private static readonly string[] Interesting =
    [
        "max-unroll-times", "max-unrolled-insns", "max-average-unrolled-insns", "max-completely-peeled-insns",
        "max-inline-insns-auto", "max-inline-insns-single", "inline-unit-growth", "early-inlining-insns",
        "max-peeled-insns", "vect-max-peeling-for-alignment", "prefetch-latency", "simultaneous-prefetches",
        "l1-cache-line-size", "max-gcse-memory", "max-pending-list-length", "unroll-jam-min-percent",
    ];

    /// <summary>Parameters of gcc's RTL unroller: without -funroll-loops (or -funroll-all-loops) they leave the binaries as they were.</summary>
    private static readonly HashSet<string> UnrollerOnly = new(StringComparer.Ordinal) { "max-unroll-times", "max-unrolled-insns", "max-average-unrolled-insns" };

    /// <summary>Whether <paramref name="flags"/> set a parameter of gcc's RTL unroller without turning the unroller on: the binaries would be the start's.</summary>
    internal static bool TunesUnrollerWithoutUnrolling(IReadOnlyList<string> flags) =>
        !Unrolls(flags) && flags.Any(f => SearchState.ParameterName(f) is { } name && UnrollerOnly.Contains(name));

    private static bool Unrolls(IEnumerable<string> flags) => flags.Any(f => f is "-funroll-loops" or "-funroll-all-loops");

    private static readonly double[] Scales = [2, 4, 0.5];

    /// <summary>
    /// Parameter variants of one start a race takes at most: most leave the start's binaries as they were (on lz4, 13 of
    /// 14 in one race, a build each for nothing), so the rest of the race goes to other strategies.
    /// </summary>
    internal const int PerRace = 3;

    public Task<IReadOnlyList<Candidate>> ProposeAsync(SearchState state, int count, CancellationToken cancellationToken)
    {
        // Build on a confident winner only: a point estimate above 1 is often noise.
        var best = state.Winners.FirstOrDefault();
        var start = best?.Flags ?? [];
        bool unrolls = Unrolls(start);
        var proposals = new List<Candidate>();
        int room = perRace == int.MaxValue ? int.MaxValue : perRace - PendingVariantsOf(state, start);
        foreach (var scale in Scales)
            foreach (var name in Interesting)
            {
                if (proposals.Count >= Math.Min(count, room)) break;
                if (!unrolls && UnrollerOnly.Contains(name)) continue;
                if (skipInert && state.InertParameters.Contains(name)) continue;
                var definition = state.Catalog.Find(name);
                if (definition is not { Kind: FlagKind.Parameter, Syntax: FlagSyntax.GccParam, Default: { } value and > 0 }) continue;
                long target = (long)Math.Round(value * scale);
                if (definition.Min is { } min) target = Math.Max(target, min);
                if (definition.Max is { } max) target = Math.Min(target, max);
                if (target == value) continue;
                string flag = string.Create(CultureInfo.InvariantCulture, $"--param={name}={target}");
                var flags = start.Where(f => !f.StartsWith($"--param={name}=", StringComparison.Ordinal)).Append(flag).ToList();
                if (state.WasTried(flags) || !state.Policy.Admits(flags)) continue;
                proposals.Add(new Candidate(flags, Name, $"{name} {value} -> {target}" + (best is null ? "" : $" on top of trial {best.Trial}")));
            }
        return Task.FromResult<IReadOnlyList<Candidate>>(proposals);
    }

    /// <summary>Candidates handed out and not yet back (this race's) that are <paramref name="start"/> with one parameter set.</summary>
    private static int PendingVariantsOf(SearchState state, IReadOnlyList<string> start)
    {
        if (state.Pending is not { Count: > 0 } pending) return 0;
        // Keys other workers proposed stay in Pending after their trials came back: only those without a trial are pending.
        var tried = state.Trials.Select(t => string.Join(' ', t.Flags)).ToHashSet(StringComparer.Ordinal);
        string prefix = start.Count == 0 ? "--param=" : string.Join(' ', start) + " --param=";
        return pending.Count(k => !tried.Contains(k) && k.StartsWith(prefix, StringComparison.Ordinal) && !k[prefix.Length..].Contains(' '));
    }
}
