namespace AutoPass.Core.Policy;

/// <summary>Spellings that change floating-point results; gated by <see cref="PolicyOptions.AllowUnsafeMath"/>.</summary>
internal static class UnsafeMathFlags
{
    // Unsafe when switched on; their -fno- forms restore the safe default.
    private static readonly HashSet<string> UnsafeWhenOn = new(StringComparer.Ordinal)
    {
        "-ffast-math", "-funsafe-math-optimizations", "-fassociative-math", "-freciprocal-math", "-ffinite-math-only",
        "-fcx-limited-range", "-fcx-fortran-rules", "-fapprox-func", "-fsingle-precision-constant", "-fveclib",
        "-fdenormal-fp-math", "-fdenormal-fp-math-f32", "-ffp-model", "-fcomplex-arithmetic",
    };

    // Unsafe when switched off: the defaults keep IEEE semantics.
    private static readonly HashSet<string> UnsafeWhenOff = new(StringComparer.Ordinal)
    {
        "-fsigned-zeros", "-ftrapping-math", "-fmath-errno", "-fhonor-infinities", "-fhonor-nans", "-fprotect-parens",
    };

    // Options whose listed values are unsafe; other values are safe.
    private static readonly Dictionary<string, string[]> UnsafeValues = new(StringComparer.Ordinal)
    {
        ["-fexcess-precision"] = ["fast"],
        ["-ffp-contract"] = ["fast", "fast-honor-pragmas"],
        ["-ffp-exception-behavior"] = ["ignore"],
    };

    public static bool IsUnsafe(string flag)
    {
        if (flag == "-Ofast") return true;
        if (!flag.StartsWith("-f", StringComparison.Ordinal)) return false;
        int eq = flag.IndexOf('=');
        string name = eq > 0 ? flag[..eq] : flag;
        string? value = eq > 0 ? flag[(eq + 1)..] : null;
        bool negative = name.StartsWith("-fno-", StringComparison.Ordinal);
        string positive = negative ? "-f" + name["-fno-".Length..] : name;
        if (UnsafeValues.TryGetValue(positive, out var bad)) return !negative && value is not null && bad.Contains(value);
        // -ffp-model=precise/strict are safe; only fast/aggressive are not.
        if (positive == "-ffp-model") return value is "fast" or "aggressive";
        return negative ? UnsafeWhenOff.Contains(positive) : UnsafeWhenOn.Contains(positive);
    }
}
