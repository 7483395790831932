using AutoPass.Core.Compilers;

namespace AutoPass.Core.Search;

/// <summary>
/// Screens one flag at a time against the baseline: the catalog's flags flipped from their baseline
/// state, the ones known to move performance first, the rest in a seeded random order. With
/// <paramref name="promisingOnly"/>, only the known ones: the bandit's opening. With <paramref name="skipBaselineValues"/>
/// (search rules 4), a known edit that sets an option to the value the baseline already has (gcc 12's
/// <c>-fvect-cost-model=dynamic</c> at -O3) is not proposed: its build would only make the baseline's binary again.
/// </summary>
internal sealed class SingleFlagScreening(bool promisingOnly = false, bool skipBaselineValues = true) : ICandidateSource
{
    public string Name => "screen";

    /// <summary>
    /// Edits that often matter beyond -O3 on gcc and clang, tried first when the compiler has them, most
    /// often paying first. Unrolling, LTO and prefetching are the classic wins for loops and cross-unit calls;
    /// -fno-jump-tables and -fno-gcse help switch- and goto-dispatched interpreter loops (gcc's manual
    /// recommends -fno-gcse for computed gotos); -fno-if-conversion2 keeps predictable branches in dynamic
    /// programming loops instead of cmov chains (dp_lcs 1.51x in bench/); branch-probability guessing, code
    /// hoisting and alignment change layout and register pressure in tight loops. The order is by wins per
    /// measurement in a landscape of single-flag runs over bench/programs (bench/results/landscape.md): an edit
    /// that leaves the binaries unchanged costs a build, not a measurement, so -fno-if-conversion2 (unchanged
    /// binaries in five of nine programs, a win in two of the other four) goes before LTO (always relinks).
    /// The optimization level is what a performance engineer moves first: -O2 (less code growth than -O3, often faster
    /// on branchy code and large programs) and -Os (where instruction-cache misses dominate) come in the first race.
    /// </summary>
    public static IReadOnlyList<string> Promising { get; } =
    [
        "-funroll-loops", "-O2", "-fno-if-conversion2", "-flto=auto", "-fprefetch-loop-arrays", "-fno-jump-tables", "-Os", "-fno-gcse",
        "-fno-guess-branch-probability", "-fno-code-hoisting", "-fipa-pta", "-fno-semantic-interposition",
        "-fno-plt", "-funroll-all-loops", "-falign-functions=64", "-fno-early-inlining", "-ftracer",
        "-fpeel-loops", "-fvect-cost-model=dynamic", "-fgcse-after-reload", "-fsched-pressure",
        "-floop-interchange", "-fmodulo-sched", "-fomit-frame-pointer", "-fno-inline-functions",
        "-fno-tree-vectorize", "-fno-strict-aliasing",
    ];

    /// <summary>True while the prior list still has an untried edit this compiler has (the bandit's opening).</summary>
    public bool HasUntriedPromising(SearchState state) =>
        Promising.Any(flag => Applies(state, flag, skipBaselineValues) && !state.WasTried([flag]) && state.Policy.Admits([flag]));

    public Task<IReadOnlyList<Candidate>> ProposeAsync(SearchState state, int count, CancellationToken cancellationToken)
    {
        var proposals = new List<Candidate>();
        foreach (var flags in Ordered(state))
        {
            if (proposals.Count >= count) break;
            if (state.WasTried(flags) || !state.Policy.Admits(flags)) continue;
            proposals.Add(new Candidate(flags, Name, $"screen {string.Join(' ', flags)} alone against the baseline"));
        }
        return Task.FromResult<IReadOnlyList<Candidate>>(proposals);
    }

    private IEnumerable<IReadOnlyList<string>> Ordered(SearchState state)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var flag in Promising)
        {
            if (Applies(state, flag, skipBaselineValues) && seen.Add(flag)) yield return [flag];
            if (flag == "-O2") foreach (var move in PassesBackAfterO2(state)) yield return move;
        }

        if (promisingOnly) yield break;
        var rest = CatalogEdits.Flips(state).Where(e => seen.Add(e.Unit.Display)).ToList();
        var random = new Random(state.Seed);
        foreach (var edit in rest.OrderBy(_ => random.Next())) yield return edit.Arguments;
    }

    /// <summary>A promising edit applies when the compiler has the option and it is not already the baseline state.</summary>
    private static bool Applies(SearchState state, string flag, bool skipBaselineValues)
    {
        var catalog = state.Catalog;
        // gcc's and clang's catalogs have -flto (not MSVC's); a hot-file session tries it as one whole-project move.
        if (flag.StartsWith("-flto", StringComparison.Ordinal)) return catalog.Find("-flto") is not null || catalog.LinkTimeOptimizationAsProjectMove;
        // A level applies to gcc and clang (MSVC spells levels /O1 /O2) when the baseline is at another one.
        if (OptimizationLevel(flag) is { } level)
            return catalog.Compiler.Id is "gcc" or "clang" && OptimizationLevel(state.BaselineFlags.LastOrDefault(f => OptimizationLevel(f) is not null) ?? "-O0") != level;
        string name = flag.Split('=')[0];
        bool negative = name.StartsWith("-fno-", StringComparison.Ordinal);
        string canonical = negative ? "-f" + name["-fno-".Length..] : name;
        var definition = catalog.Find(canonical);
        if (definition is null) return false;
        if (definition.Kind == FlagKind.Toggle && flag.IndexOf('=') < 0)
            return definition.EnabledAtBaseline != !negative;
        if (skipBaselineValues && definition.Kind == FlagKind.Enum && flag.IndexOf('=') is var equals and > 0)
            return definition.BaselineValue != flag[(equals + 1)..];
        return true;
    }

    /// <summary>
    /// Once -O2 alone measured faster than the baseline (its estimate, decided or not), -O2 with half of the passes it turned off taken back, each
    /// half in turn (a seeded split): the level's smaller code with what of -O3 pays. Mutation refines from there.
    /// </summary>
    private static IEnumerable<IReadOnlyList<string>> PassesBackAfterO2(SearchState state)
    {
        var passes = state.Catalog.PassesAboveO2;
        if (passes.Count < 2) yield break;
        var o2 = state.Measured.FirstOrDefault(t => t.Flags is ["-O2"]);
        if (o2?.Verdict is not { Speedup: > 1.0 }) yield break;
        var random = new Random(state.Seed);
        var shuffled = passes.OrderBy(_ => random.Next()).ToList();
        int half = shuffled.Count / 2;
        yield return ["-O2", .. shuffled.Take(half)];
        yield return ["-O2", .. shuffled.Skip(half)];
    }

    /// <summary>The level an -O flag sets ("2", "s", "fast"; bare -O is 1), or null for any other flag.</summary>
    private static string? OptimizationLevel(string flag) =>
        flag == "-O" ? "1" : flag.StartsWith("-O", StringComparison.Ordinal) && flag.Length > 2 && !flag.Contains('=') ? flag[2..] : null;
}
