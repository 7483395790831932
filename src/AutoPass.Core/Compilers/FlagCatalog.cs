namespace AutoPass.Core.Compilers;

/// <summary>The flags one compiler really has, typed, with their state at the baseline.</summary>
public sealed record FlagCatalog(CompilerInfo Compiler, IReadOnlyList<FlagDefinition> Flags)
{
    private readonly Dictionary<string, FlagDefinition> _byName =
        Flags.GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public FlagDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>True when the spelling (-fX, -fno-X, -fX=v, --param=n=v) names an option in this catalog.</summary>
    public bool Knows(string flag)
    {
        if (flag.StartsWith("--param=", StringComparison.Ordinal))
        {
            var rest = flag["--param=".Length..];
            int eq = rest.IndexOf('=');
            return eq > 0 && _byName.ContainsKey(rest[..eq]);
        }
        string name = flag;
        int equals = name.IndexOf('=');
        if (equals > 0) name = name[..equals];
        if (name.StartsWith("-fno-", StringComparison.Ordinal)) name = "-f" + name["-fno-".Length..];
        return _byName.ContainsKey(name);
    }
}
