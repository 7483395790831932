namespace AutoPass.Core.Compilers;

internal enum FlagKind
{
    /// <summary>An on/off flag: <c>-fname</c> and <c>-fno-name</c>.</summary>
    Toggle,
    /// <summary>A flag with a fixed set of values: <c>-fname=value</c>.</summary>
    Enum,
    /// <summary>An integer with a range: <c>--param=name=N</c> (gcc), <c>-mllvm -name=N</c> (clang), <c>-fname=N</c>.</summary>
    Parameter,
}

/// <summary>One tunable option of one compiler, as the compiler reports it.</summary>
/// <param name="Name">Canonical spelling: <c>-funroll-loops</c>, <c>-fvect-cost-model</c>, <c>max-unroll-times</c> (gcc param),
/// <c>-unroll-threshold</c> (LLVM option), <c>/Oi</c> (MSVC).</param>
/// <param name="EnabledAtBaseline">For toggles: the state at the baseline flags, when the compiler says.</param>
/// <param name="Values">For enums: the allowed values.</param>
/// <param name="Default">For parameters: the value at the baseline flags.</param>
/// <param name="Syntax">How the flag is spelled; see <see cref="Spell"/>.</param>
/// <param name="Risk">What the flag risks beyond speed, whatever its value.</param>
/// <param name="BaselineValue">For enums: the value at the baseline flags, when the compiler says.</param>
/// <param name="UnsafeValues">For enums: values that change floating-point results (MSVC <c>/fp:fast</c>).</param>
internal sealed record FlagDefinition(
    string Name,
    FlagKind Kind,
    bool? EnabledAtBaseline = null,
    IReadOnlyList<string>? Values = null,
    long? Min = null,
    long? Max = null,
    long? Default = null,
    FlagSyntax Syntax = FlagSyntax.Option,
    FlagRisk Risk = FlagRisk.None,
    string? BaselineValue = null,
    IReadOnlyList<string>? UnsafeValues = null)
{
    /// <summary>The command-line spelling that turns a toggle on or off.</summary>
    public string Toggle(bool on)
    {
        if (Kind != FlagKind.Toggle) throw new InvalidOperationException($"{Name} is not an on/off flag.");
        return Syntax switch
        {
            FlagSyntax.Msvc => on ? Name : Name + "-",
            FlagSyntax.Option when Name.StartsWith("-f", StringComparison.Ordinal) => on ? Name : "-fno-" + Name["-f".Length..],
            FlagSyntax.Option when Name.StartsWith("-m", StringComparison.Ordinal) => on ? Name : "-mno-" + Name["-m".Length..],
            _ => throw new InvalidOperationException($"{Name} has no single-argument on/off spelling; use Spell."),
        };
    }

    /// <summary>The spelling of the opposite of the baseline state, i.e. the candidate edit for screening.</summary>
    public string? Flip() => Kind == FlagKind.Toggle && EnabledAtBaseline is { } on ? Toggle(!on) : null;

    /// <summary>
    /// The command-line arguments that set this flag to <paramref name="value"/> ("true"/"false" for toggles).
    /// One argument, except LLVM options which are the pair <c>-mllvm</c>, <c>-name=value</c>.
    /// </summary>
    public IReadOnlyList<string> Spell(string value)
    {
        if (Kind == FlagKind.Toggle && Syntax != FlagSyntax.LlvmOption)
            return [Toggle(value switch
            {
                "true" or "on" or "1" => true,
                "false" or "off" or "0" => false,
                _ => throw new ArgumentException($"{Name} is on/off, not '{value}'.", nameof(value)),
            })];
        if (Kind == FlagKind.Enum && Values is { } values && !values.Contains(value, StringComparer.Ordinal))
            throw new ArgumentException($"{Name} takes {string.Join('|', values)}, not '{value}'.", nameof(value));
        if (Kind == FlagKind.Parameter)
        {
            if (!long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n))
                throw new ArgumentException($"{Name} takes an integer, not '{value}'.", nameof(value));
            if (n < Min || n > Max)
                throw new ArgumentOutOfRangeException(nameof(value), $"{Name} takes {Min}..{Max}, not {n}.");
        }
        return Syntax switch
        {
            FlagSyntax.GccParam => [$"--param={Name}={value}"],
            FlagSyntax.LlvmOption => ["-mllvm", $"{Name}={value}"],
            // MSVC names carry their separator: "/fp:" + "fast", "/Ob" + "3".
            FlagSyntax.Msvc => [Name + value],
            _ => [$"{Name}={value}"],
        };
    }

    /// <summary>Spelling of an integer parameter.</summary>
    public IReadOnlyList<string> Spell(long value) => Spell(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
