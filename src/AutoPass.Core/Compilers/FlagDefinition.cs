namespace AutoPass.Core.Compilers;

public enum FlagKind
{
    /// <summary>An on/off flag: <c>-fname</c> and <c>-fno-name</c>.</summary>
    Toggle,
    /// <summary>A flag with a fixed set of values: <c>-fname=value</c>.</summary>
    Enum,
    /// <summary>An integer parameter with a range: <c>--param=name=N</c> (gcc) or <c>-mllvm -name=N</c> (clang).</summary>
    Parameter,
}

/// <summary>One tunable option of one compiler, as the compiler reports it.</summary>
/// <param name="Name">Canonical spelling: <c>-funroll-loops</c>, <c>-fvect-cost-model</c>, <c>max-unroll-times</c>.</param>
/// <param name="EnabledAtBaseline">For toggles: the state at the baseline flags, when the compiler says.</param>
/// <param name="Values">For enums: the allowed values.</param>
public sealed record FlagDefinition(
    string Name,
    FlagKind Kind,
    bool? EnabledAtBaseline = null,
    IReadOnlyList<string>? Values = null,
    long? Min = null,
    long? Max = null,
    long? Default = null)
{
    /// <summary>The command-line spelling that turns a toggle on or off.</summary>
    public string Toggle(bool on)
    {
        if (Kind != FlagKind.Toggle) throw new InvalidOperationException($"{Name} is not an on/off flag.");
        return on ? Name : "-fno-" + Name["-f".Length..];
    }

    /// <summary>The spelling of the opposite of the baseline state, i.e. the candidate edit for screening.</summary>
    public string? Flip() => Kind == FlagKind.Toggle && EnabledAtBaseline is { } on ? Toggle(!on) : null;
}
