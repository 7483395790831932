using AutoPass.Core.Compilers;

namespace AutoPass.Core.Search;

/// <summary>
/// Screens one flag at a time against the baseline: the catalog's flags flipped from their baseline
/// state, the ones known to move performance first, the rest in a seeded random order.
/// </summary>
public sealed class SingleFlagScreening : ICandidateSource
{
    public string Name => "screen";

    /// <summary>Edits that often matter beyond -O3 on gcc and clang; tried first when the compiler has them.</summary>
    private static readonly string[] Promising =
    [
        "-funroll-loops", "-fno-semantic-interposition", "-fipa-pta", "-flto=auto", "-fno-plt",
        "-fprefetch-loop-arrays", "-funroll-all-loops", "-fpeel-loops", "-fvect-cost-model=dynamic",
        "-fno-tree-vectorize", "-fgcse-after-reload", "-fbranch-target-load-optimize", "-fsched-pressure",
        "-floop-interchange", "-fmodulo-sched", "-falign-functions=32", "-fomit-frame-pointer",
        "-fno-inline-functions", "-ftracer", "-fno-strict-aliasing",
    ];

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

    private static IEnumerable<IReadOnlyList<string>> Ordered(SearchState state)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var flag in Promising)
            if (Applies(state.Catalog, flag) && seen.Add(flag)) yield return [flag];

        var rest = CatalogEdits.Flips(state).Where(e => seen.Add(e.Unit.Display)).ToList();
        var random = new Random(state.Seed);
        foreach (var edit in rest.OrderBy(_ => random.Next())) yield return edit.Arguments;
    }

    /// <summary>A promising edit applies when the compiler has the option and it is not already the baseline state.</summary>
    private static bool Applies(FlagCatalog catalog, string flag)
    {
        if (flag.StartsWith("-flto", StringComparison.Ordinal)) return catalog.Compiler.Id is "gcc" or "clang";
        string name = flag.Split('=')[0];
        bool negative = name.StartsWith("-fno-", StringComparison.Ordinal);
        string canonical = negative ? "-f" + name["-fno-".Length..] : name;
        var definition = catalog.Find(canonical);
        if (definition is null) return false;
        if (definition.Kind == FlagKind.Toggle && flag.IndexOf('=') < 0)
            return definition.EnabledAtBaseline != !negative;
        return true;
    }
}
