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
        foreach (var flag in Ordered(state))
        {
            if (proposals.Count >= count) break;
            if (state.WasTried([flag]) || !state.Policy.Evaluate(flag).Allowed) continue;
            proposals.Add(new Candidate([flag], Name, $"screen {flag} alone against the baseline"));
        }
        return Task.FromResult<IReadOnlyList<Candidate>>(proposals);
    }

    private static IEnumerable<string> Ordered(SearchState state)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var flag in Promising)
            if (Applies(state.Catalog, flag) && seen.Add(flag)) yield return flag;

        var rest = state.Catalog.Flags
            .Select(f => f.Flip())
            .OfType<string>()
            .Where(seen.Add)
            .ToList();
        var random = new Random(state.Seed);
        foreach (var flag in rest.OrderBy(_ => random.Next())) yield return flag;
    }

    /// <summary>A promising edit applies when the compiler has the option and it is not already the baseline state.</summary>
    private static bool Applies(FlagCatalog catalog, string flag)
    {
        if (flag.StartsWith("-flto", StringComparison.Ordinal)) return catalog.Compiler.Id == "gcc" || catalog.Compiler.Id == "clang";
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
