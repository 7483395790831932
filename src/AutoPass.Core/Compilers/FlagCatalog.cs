namespace AutoPass.Core.Compilers;

/// <summary>The flags one compiler really has, typed, with their state at the baseline.</summary>
internal sealed record FlagCatalog(CompilerInfo Compiler, IReadOnlyList<FlagDefinition> Flags)
{
    // Keyed by syntax too: "-force-vector-width" is an LLVM option, and must not be taken for an -f option.
    private readonly Dictionary<(FlagSyntax, string), FlagDefinition> _byName =
        Flags.GroupBy(f => (f.Syntax, f.Name)).ToDictionary(g => g.Key, g => g.First());

    /// <summary>The definition named <paramref name="name"/> (any syntax; options first).</summary>
    public FlagDefinition? Find(string name)
    {
        foreach (var syntax in Enum.GetValues<FlagSyntax>())
            if (_byName.TryGetValue((syntax, name), out var found)) return found;
        return null;
    }

    public FlagDefinition? Find(string name, FlagSyntax syntax) => _byName.GetValueOrDefault((syntax, name));

    /// <summary>
    /// True when the spelling (-fX, -fno-X, -fX=v, --param=n=v, /X, or an LLVM pair written "-mllvm -n=v") names an
    /// option in this catalog. Values are not checked here; <see cref="Lookup"/> returns them for the policy to check.
    /// </summary>
    public bool Knows(string flag)
    {
        if (flag.StartsWith(FlagUnit.LlvmPrefix + " ", StringComparison.Ordinal))
            return Lookup(new FlagUnit([FlagUnit.LlvmPrefix, flag[(FlagUnit.LlvmPrefix.Length + 1)..]])) is not null;
        return Lookup(new FlagUnit([flag])) is not null;
    }

    /// <summary>Resolves one unit (see <see cref="FlagUnit"/>) to its definition and the value it sets, or null.</summary>
    public FlagMatch? Lookup(FlagUnit unit)
    {
        if (unit.IsLlvmOption) return LookupLlvm(unit.Arguments[1]);
        if (unit.Arguments.Count != 1) return null;
        string flag = unit.Arguments[0];

        if (flag.StartsWith("--param=", StringComparison.Ordinal))
        {
            var rest = flag["--param=".Length..];
            int eq = rest.IndexOf('=');
            if (eq <= 0) return null;
            return Find(rest[..eq], FlagSyntax.GccParam) is { } p ? new FlagMatch(p, rest[(eq + 1)..]) : null;
        }
        if (flag.StartsWith('/')) return LookupMsvc(flag);
        if (!flag.StartsWith('-')) return null;

        int equals = flag.IndexOf('=');
        string name = equals > 0 ? flag[..equals] : flag;
        string? value = equals > 0 ? flag[(equals + 1)..] : null;
        if (Find(name, FlagSyntax.Option) is { } direct)
            return new FlagMatch(direct, value ?? "true");
        foreach (var (negative, positive) in (ReadOnlySpan<(string, string)>)[("-fno-", "-f"), ("-mno-", "-m")])
            if (value is null && name.StartsWith(negative, StringComparison.Ordinal)
                && Find(positive + name[negative.Length..], FlagSyntax.Option) is { Kind: FlagKind.Toggle } toggle)
                return new FlagMatch(toggle, "false");
        return null;
    }

    private FlagMatch? LookupLlvm(string option)
    {
        if (!option.StartsWith('-')) return null;
        int eq = option.IndexOf('=');
        string name = eq > 0 ? option[..eq] : option;
        // LLVM boolean options given without a value mean "=true".
        string value = eq > 0 ? option[(eq + 1)..] : "true";
        return Find(name, FlagSyntax.LlvmOption) is { } knob ? new FlagMatch(knob, value) : null;
    }

    private FlagMatch? LookupMsvc(string flag)
    {
        foreach (var f in Flags.Where(f => f.Syntax == FlagSyntax.Msvc))
        {
            if (f.Kind == FlagKind.Toggle && flag == f.Name) return new FlagMatch(f, "true");
            if (f.Kind == FlagKind.Toggle && flag == f.Name + "-") return new FlagMatch(f, "false");
            if (f.Kind != FlagKind.Toggle && flag.StartsWith(f.Name, StringComparison.Ordinal) && flag.Length > f.Name.Length)
                return new FlagMatch(f, flag[f.Name.Length..]);
        }
        return null;
    }

    /// <summary>
    /// True when link-time optimization is left out of <see cref="Flags"/> but may still be tried as one deliberate
    /// whole-project move (hot-file tuning: LTO is a property of the whole link, and rebuilds the whole project).
    /// </summary>
    public bool LinkTimeOptimizationAsProjectMove { get; init; }

    /// <summary>
    /// This catalog without link-time optimization (-flto and its -flto-* options) among its flags: for hot-file tuning,
    /// where flags apply to some files; -flto stays available as a whole-project move when the compiler has it.
    /// </summary>
    public FlagCatalog WithoutLinkTimeOptimization() =>
        new(Compiler, Flags.Where(f => !(f.Name == "-flto" || f.Name.StartsWith("-flto-", StringComparison.Ordinal) || f.Name.StartsWith("-flto=", StringComparison.Ordinal))).ToList())
        {
            LinkTimeOptimizationAsProjectMove = LinkTimeOptimizationAsProjectMove || Find("-flto") is not null,
            PassesAboveO2 = PassesAboveO2,
        };

    /// <summary>
    /// The passes the baseline has on that -O2 turns off (gcc: -O3's extra loop and vectorizer passes), as -f flags that
    /// turn them back on after -O2; empty when the compiler does not say (clang's levels are pipelines, not flags).
    /// </summary>
    public IReadOnlyList<string> PassesAboveO2 { get; init; } = [];

    /// <summary>This catalog with <paramref name="more"/> added, keeping existing entries of the same name and syntax.</summary>
    public FlagCatalog With(IEnumerable<FlagDefinition> more) =>
        // Not "with": a clone would keep the old lookup table.
        new(Compiler, Flags.Concat(more.Where(m => !_byName.ContainsKey((m.Syntax, m.Name)))).ToList())
        {
            LinkTimeOptimizationAsProjectMove = LinkTimeOptimizationAsProjectMove,
            PassesAboveO2 = PassesAboveO2,
        };
}
