using System.Globalization;
using AutoPass.Core.Compilers;

namespace AutoPass.Core.Agents.Builtin;

/// <summary>One edit worth trying on top of the baseline, and the theme it belongs to.</summary>
internal sealed record TunableEdit(string Flag, string Theme);

/// <summary>
/// The catalog flags known to matter for speed (unrolling, vectorization cost model, ipa-pta, inlining
/// parameters...), as concrete edits of the baseline. Only flags the compiler really has come out.
/// </summary>
internal static class TunableFlags
{
    public const string Unrolling = "unrolling";
    public const string Vectorization = "vectorization";
    public const string Inlining = "inlining";
    public const string Interprocedural = "interprocedural";
    public const string Loops = "loop-transforms";
    public const string Scheduling = "scheduling";
    public const string CodeGeneration = "code-generation";

    // Order matters: the built-in proposer tries them in this order within a theme.
    private static readonly (string Name, string Theme)[] Known =
    [
        ("-funroll-loops", Unrolling), ("max-unroll-times", Unrolling), ("max-unrolled-insns", Unrolling),
        ("-fpeel-loops", Unrolling), ("-funroll-all-loops", Unrolling), ("max-completely-peeled-insns", Unrolling),
        ("-fvect-cost-model", Vectorization), ("-fsimd-cost-model", Vectorization), ("-ftree-vectorize", Vectorization),
        ("-ftree-loop-vectorize", Vectorization), ("-ftree-slp-vectorize", Vectorization), ("-fvectorize", Vectorization),
        ("-fslp-vectorize", Vectorization), ("-fversion-loops-for-strides", Vectorization),
        ("-finline-functions", Inlining), ("max-inline-insns-auto", Inlining), ("max-inline-insns-single", Inlining),
        ("inline-unit-growth", Inlining), ("early-inlining-insns", Inlining),
        ("-fipa-pta", Interprocedural), ("-fipa-cp-clone", Interprocedural), ("-fsemantic-interposition", Interprocedural),
        ("-fstrict-vtable-pointers", Interprocedural), ("-fwhole-program-vtables", Interprocedural),
        ("-floop-interchange", Loops), ("-ftree-loop-distribution", Loops), ("-fsplit-loops", Loops),
        ("-fprefetch-loop-arrays", Loops), ("-fgcse-after-reload", Loops),
        ("-fsched-pressure", Scheduling), ("-fschedule-insns", Scheduling), ("-fmodulo-sched", Scheduling), ("-ftracer", Scheduling),
        ("-fomit-frame-pointer", CodeGeneration), ("-fplt", CodeGeneration), ("-fmerge-all-constants", CodeGeneration),
        ("-fsplit-machine-functions", CodeGeneration),
    ];

    /// <summary>Enum values not worth proposing because they are the usual default at -O2/-O3.</summary>
    private static readonly HashSet<string> UsualEnumDefaults = ["-fvect-cost-model=dynamic", "-fsimd-cost-model=unlimited"];

    public static IReadOnlyList<TunableEdit> For(FlagCatalog catalog)
    {
        var edits = new List<TunableEdit>();
        foreach (var (name, theme) in Known)
        {
            if (catalog.Find(name) is not { } definition) continue;
            foreach (var flag in EditsOf(definition))
                edits.Add(new TunableEdit(flag, theme));
        }
        return edits;
    }

    public static IEnumerable<string> EditsOf(FlagDefinition definition)
    {
        switch (definition.Kind)
        {
            case FlagKind.Toggle:
                yield return definition.Flip() ?? definition.Toggle(true);
                break;
            case FlagKind.Enum:
                foreach (var value in definition.Values ?? [])
                {
                    string flag = $"{definition.Name}={value}";
                    if (!UsualEnumDefaults.Contains(flag)) yield return flag;
                }
                break;
            case FlagKind.Parameter when definition.Default is { } value:
                foreach (var candidate in new[] { value * 2, value / 2 })
                {
                    long clamped = Math.Clamp(candidate, definition.Min ?? long.MinValue, definition.Max ?? long.MaxValue);
                    if (clamped != value && clamped > 0)
                        yield return $"--param={definition.Name}={clamped.ToString(CultureInfo.InvariantCulture)}";
                }
                break;
        }
    }

    /// <summary>The catalog name a spelling refers to: -fno-x and -fx=v → -fx; --param=n=v → n.</summary>
    public static string NameOf(string flag)
    {
        if (flag.StartsWith("--param=", StringComparison.Ordinal))
        {
            string rest = flag["--param=".Length..];
            int eq = rest.IndexOf('=');
            return eq > 0 ? rest[..eq] : rest;
        }
        int equals = flag.IndexOf('=');
        string name = equals > 0 ? flag[..equals] : flag;
        return name.StartsWith("-fno-", StringComparison.Ordinal) ? "-f" + name["-fno-".Length..] : name;
    }
}
