using System.Globalization;
using System.Text.RegularExpressions;
using AutoPass.Core.Compilers;

namespace AutoPass.Core.Policy;

/// <summary>
/// The only gate between a proposed flag and a compiler command line. Whatever proposes a flag, an agent included,
/// goes through it: only optimization options pass, risky ones only on the user's opt-in, and with a catalog only
/// options the compiler really has. Everything not recognised as a safe shape is denied (an allowlist, not a blocklist;
/// the forbidden families exist to give a precise reason).
/// </summary>
/// <remarks>
/// <c>-mllvm</c> takes the next argument, so a single string cannot be judged alone: use <see cref="EvaluateAll"/>
/// on a candidate's whole flag list. <see cref="Evaluate"/> denies a bare <c>-mllvm</c>.
/// </remarks>
internal sealed partial class FlagPolicy(PolicyOptions options, FlagCatalog? catalog = null)
{
    private const int MaxLength = 200;

    public PolicyOptions Options { get; } = options;

    public FlagCatalog? Catalog { get; } = catalog;

    /// <summary>One decision per unit of the list (an <c>-mllvm</c> pair is one unit), in order.</summary>
    public IReadOnlyList<PolicyDecision> EvaluateAll(IReadOnlyList<string> flags) =>
        FlagUnit.Split(flags).Select(Evaluate).ToList();

    /// <summary>True when every flag of the list passes.</summary>
    public bool Admits(IReadOnlyList<string> flags) => EvaluateAll(flags).All(d => d.Allowed);

    /// <summary>Judges one unit: a single argument, or an <c>-mllvm</c> pair.</summary>
    public PolicyDecision Evaluate(FlagUnit unit)
    {
        if (unit.IsLlvmOption) return EvaluateLlvm(unit);
        if (unit.Arguments.Count != 1) return PolicyDecision.Deny(unit.Display, "malformed option group");
        return Evaluate(unit.Arguments[0]);
    }

    /// <summary>Judges one argument. A bare <c>-mllvm</c> is denied: judge the pair with <see cref="EvaluateAll"/>.</summary>
    public PolicyDecision Evaluate(string flag)
    {
        if (string.IsNullOrWhiteSpace(flag)) return PolicyDecision.Deny(flag ?? "", "empty flag");
        if (flag.Length > MaxLength) return PolicyDecision.Deny(flag, "too long to be an optimization option");
        if (flag.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || flag.IndexOfAny(['"', '\'', '`', '$', ';', '|', '&', '<', '>', '\\', '*', '?', '(', ')', '{', '}', '~', '#', '!']) >= 0)
            return PolicyDecision.Deny(flag, "contains whitespace, quotes or shell characters");
        if (flag.Any(c => c > '\x7e'))
            return PolicyDecision.Deny(flag, "contains characters outside plain ASCII (a lookalike is not an option)");
        if (flag.StartsWith('@')) return PolicyDecision.Deny(flag, "response files (@file) read arbitrary paths");
        if (flag == FlagUnit.LlvmPrefix)
            return PolicyDecision.Deny(flag, "-mllvm must be followed by an LLVM option; judge the whole flag list (EvaluateAll)");
        if (flag.StartsWith('/')) return EvaluateMsvc(flag);
        if (!flag.StartsWith('-')) return PolicyDecision.Deny(flag, "not an option (a path or a stray value)");
        // The family's own reason first: "-fplugin=/x.so loads code" says more than "names a path".
        if (flag.StartsWith("-f", StringComparison.Ordinal) && ForbiddenOptions.FReason(flag) is { } fReason)
            return PolicyDecision.Deny(flag, fReason);
        if (flag.Contains('/')) return PolicyDecision.Deny(flag, "options naming paths are not optimization options");
        if (!SafeCharacters().IsMatch(flag)) return PolicyDecision.Deny(flag, "contains characters no optimization option uses");

        if (!flag.StartsWith("-f", StringComparison.Ordinal) && !flag.StartsWith("-m", StringComparison.Ordinal)
            && !flag.StartsWith("-O", StringComparison.Ordinal) && !flag.StartsWith("--param", StringComparison.Ordinal)
            && ForbiddenOptions.DriverReason(flag) is { } driverReason)
            return PolicyDecision.Deny(flag, driverReason);

        if (UnsafeMathFlags.IsUnsafe(flag) && !Options.AllowUnsafeMath)
            return DenyUnsafeMath(flag);

        if (flag is "-O0" or "-O1" or "-O2" or "-O3" or "-Os" or "-Oz" or "-Og" or "-Ofast") return PolicyDecision.Allow(flag);
        if (flag.StartsWith("-O", StringComparison.Ordinal)) return PolicyDecision.Deny(flag, "not an optimization level");

        if (flag.StartsWith("-m", StringComparison.Ordinal)) return EvaluateTarget(flag);

        if (flag.StartsWith("--param", StringComparison.Ordinal)) return EvaluateParam(flag);

        if (FOption().Match(flag) is not { Success: true } f)
            return PolicyDecision.Deny(flag, "not an optimization option");
        // Link-time optimization: the driver takes these values; the catalog knows -flto as a toggle.
        if (f.Groups["name"].Value == "lto" && (!f.Groups["value"].Success || LtoValue().IsMatch(f.Groups["value"].Value)))
            return PolicyDecision.Allow(flag);
        // Without the compiler's list a value could be anything: only options known as optimizers take one.
        if (Catalog is null && f.Groups["value"].Success && !ValuedOptimizers.Names.Contains(f.Groups["name"].Value))
            return PolicyDecision.Deny(flag, "takes a value but is no optimizer option gcc or clang lists with one; "
                + "options with a value that is a path, a spec or a command line never pass");
        return CheckAgainstCatalog(flag, new FlagUnit([flag]));
    }

    /// <summary>
    /// Judges an option of the project's own build settings (a compile or link flags variable given to CMake): those
    /// are the project's to choose, warnings, defines and debug information included, but nothing that loads or runs
    /// code, hands a command line on, or reads or writes files outside the build passes.
    /// </summary>
    public static PolicyDecision EvaluateBuildSetting(string flag)
    {
        if (string.IsNullOrWhiteSpace(flag)) return PolicyDecision.Deny(flag ?? "", "empty flag");
        if (flag.Any(c => char.IsControl(c) || c > '\x7e'))
            return PolicyDecision.Deny(flag, "contains control characters or characters outside plain ASCII");
        return ForbiddenOptions.ReachesOutsideReason(flag) is { } reason ? PolicyDecision.Deny(flag, reason) : PolicyDecision.Allow(flag);
    }

    private PolicyDecision EvaluateTarget(string flag)
    {
        switch (MachineSpecificFlags.Classify(flag))
        {
            case null:
                return PolicyDecision.Deny(flag, "target option that changes the ABI or code model; only -march, -mtune, ISA extensions and -mprefer-vector-width are tuned");
            case true when !Options.AllowMachineSpecific:
                return PolicyDecision.Deny(flag, "ties the binary to this machine's CPU; set AutoPassAllowMachineSpecific=true to allow");
            default:
                // Target options are checked by the probe compile, not the catalog (no compiler lists them as optimizers).
                return PolicyDecision.Allow(flag);
        }
    }

    private PolicyDecision EvaluateParam(string flag)
    {
        if (!flag.StartsWith("--param=", StringComparison.Ordinal))
            return PolicyDecision.Deny(flag, "write a parameter as one argument, --param=name=value");
        if (GccParam().Match(flag) is not { Success: true } m)
            return PolicyDecision.Deny(flag, "malformed parameter; expected --param=name=value");
        string name = m.Groups["name"].Value;
        if (name.StartsWith("asan-", StringComparison.Ordinal) || name.StartsWith("hwasan-", StringComparison.Ordinal)
            || name.StartsWith("tsan-", StringComparison.Ordinal) || name.StartsWith("analyzer-", StringComparison.Ordinal))
            return PolicyDecision.Deny(flag, "tunes instrumentation or analysis, not optimization");
        return CheckAgainstCatalog(flag, new FlagUnit([flag]));
    }

    private PolicyDecision EvaluateLlvm(FlagUnit unit)
    {
        string display = unit.Display;
        string option = unit.Arguments[1];
        if (option.Any(c => c <= ' ' || c > '\x7e') || LlvmOption().Match(option) is not { Success: true } m)
            return PolicyDecision.Deny(display, "-mllvm must be followed by one LLVM option of the form -name=value");
        if (Catalog is not null && Catalog.Compiler.Id != "clang")
            return PolicyDecision.Deny(display, $"-mllvm is a clang option; the compiler is {Catalog.Compiler.Id}");
        // LLVM has hundreds of hidden options, some of which write files; only curated knobs pass, checked for
        // this version when there is a catalog.
        var knobs = Catalog ?? new FlagCatalog(new CompilerInfo("clang", new NuGet.Versioning.NuGetVersion(0, 0, 0), "", ""), ClangKnobs.LlvmOptions);
        if (knobs.Lookup(unit) is not { } match)
            return PolicyDecision.Deny(display, $"'{m.Groups["name"].Value}' is not an LLVM option AutoPass tunes"
                + (Catalog is null ? "" : $" with clang {Catalog.Compiler.Version}"));
        return CheckValue(display, match);
    }

    private PolicyDecision EvaluateMsvc(string flag)
    {
        if (Catalog is null || Catalog.Compiler.Id != "msvc")
            return PolicyDecision.Deny(flag, "MSVC-style options are accepted only against the MSVC catalog (and a path is not an option)");
        if (flag.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '/' or ':' or '-' or '_')) || flag.IndexOf('/', 1) >= 0)
            return PolicyDecision.Deny(flag, "contains characters no MSVC optimization option uses");
        return CheckAgainstCatalog(flag, new FlagUnit([flag]));
    }

    private PolicyDecision CheckAgainstCatalog(string flag, FlagUnit unit)
    {
        if (Catalog is null) return PolicyDecision.Allow(flag);
        if (Catalog.Lookup(unit) is not { } match)
            return PolicyDecision.Deny(flag, $"not an optimization option of {Catalog.Compiler.Id} {Catalog.Compiler.Version}");
        return CheckValue(flag, match);
    }

    private PolicyDecision CheckValue(string flag, FlagMatch match)
    {
        var d = match.Definition;
        switch (d.Kind)
        {
            case FlagKind.Toggle when match.Value is not ("true" or "false"):
                // Some gcc toggles also take a level (-flifetime-dse=<0,2>).
                if (d.Min is not null && d.Max is not null
                    && long.TryParse(match.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var level) && level >= d.Min && level <= d.Max)
                    break;
                return PolicyDecision.Deny(flag, $"{d.Name} is on/off and takes no value");
            case FlagKind.Enum when d.Values is { } values && !values.Contains(match.Value, StringComparer.Ordinal):
                return PolicyDecision.Deny(flag, $"{d.Name} takes {string.Join('|', values)}");
            case FlagKind.Parameter:
                if (!long.TryParse(match.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                    return PolicyDecision.Deny(flag, $"{d.Name} takes an integer");
                var (min, max, capped) = ParameterBounds.Of(d);
                if (n < min || n > max)
                    return PolicyDecision.Deny(flag, capped
                        ? $"{d.Name} takes {min}..{max} here: the compiler states no real upper bound, and AutoPass admits at most {ParameterBounds.DefaultMultiple}x the default ({d.Default?.ToString(CultureInfo.InvariantCulture) ?? "none"}), at least {ParameterBounds.SmallestCap}"
                        : $"{d.Name} takes {min}..{max}");
                break;
        }
        bool on = d.Kind != FlagKind.Toggle || match.Value == "true";
        bool unsafeMath = (d.Risk.HasFlag(FlagRisk.UnsafeMath) && on) || (d.UnsafeValues?.Contains(match.Value) ?? false);
        if (unsafeMath && !Options.AllowUnsafeMath) return DenyUnsafeMath(flag);
        if (d.Risk.HasFlag(FlagRisk.MachineSpecific) && on && !Options.AllowMachineSpecific)
            return PolicyDecision.Deny(flag, "ties the binary to this machine's CPU; set AutoPassAllowMachineSpecific=true to allow");
        return PolicyDecision.Allow(flag);
    }

    private static PolicyDecision DenyUnsafeMath(string flag) =>
        PolicyDecision.Deny(flag, "changes floating-point semantics; set AutoPassAllowUnsafeMath=true to allow");

    /// <summary>
    /// Whether a catalog entry is worth offering to a search: some spelling of it passes this policy
    /// (its flip for toggles with a known state, either state otherwise, any value for enums, the default for parameters).
    /// </summary>
    public bool IsTunable(FlagDefinition definition)
    {
        IEnumerable<IReadOnlyList<string>> spellings = definition.Kind switch
        {
            FlagKind.Toggle when definition.Syntax != FlagSyntax.LlvmOption && definition.Flip() is { } flip => [[flip]],
            FlagKind.Toggle when definition.Syntax != FlagSyntax.LlvmOption => [[definition.Toggle(true)], [definition.Toggle(false)]],
            FlagKind.Enum when definition.Values is { } values => values.Select(definition.Spell),
            // gcc reports some defaults outside their stated range; judge a value inside it.
            FlagKind.Parameter => [definition.Spell(Math.Clamp(definition.Default ?? definition.Min ?? 0, definition.Min ?? long.MinValue, definition.Max ?? long.MaxValue))],
            _ => [],
        };
        return spellings.Any(Admits);
    }

    [GeneratedRegex(@"^-[A-Za-z0-9][A-Za-z0-9_=.:+-]*$|^--param=[A-Za-z0-9_=.:+-]+$|^--param$")]
    private static partial Regex SafeCharacters();

    [GeneratedRegex(@"^-f(?:no-)?(?<name>[a-z0-9][a-z0-9-]*)(?:=(?<value>[A-Za-z0-9_.:+-]+))?$")]
    private static partial Regex FOption();

    [GeneratedRegex(@"^(auto|thin|full|jobserver|[1-9][0-9]?)$")]
    private static partial Regex LtoValue();

    [GeneratedRegex(@"^--param=(?<name>[A-Za-z0-9][A-Za-z0-9_-]*)=(?<value>-?[0-9]+|[a-z][a-z0-9_-]*)$")]
    private static partial Regex GccParam();

    [GeneratedRegex(@"^(?<name>-[a-z][a-z0-9-]*)(?:=(?<value>-?[0-9]+|true|false))?$")]
    private static partial Regex LlvmOption();
}
