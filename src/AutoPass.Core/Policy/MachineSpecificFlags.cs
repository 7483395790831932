namespace AutoPass.Core.Policy;

/// <summary>
/// Spellings that make a binary need this machine's CPU (or tune it for this machine only); gated by
/// <see cref="PolicyOptions.AllowMachineSpecific"/>. Also says which -m options are target options AutoPass tunes at all.
/// </summary>
internal static class MachineSpecificFlags
{
    // Instruction-set extensions: -mX requires the CPU to have X; -mno-X only narrows the set and is portable.
    private static readonly string[] IsaPrefixes =
    [
        "sse", "ssse3", "avx", "fma", "fma4", "bmi", "bmi2", "lzcnt", "popcnt", "f16c", "movbe", "aes", "pclmul", "sha",
        "adx", "xop", "tbm", "abm", "vaes", "vpclmulqdq", "gfni", "amx", "rdrnd", "rdseed", "prfchw", "crc32", "cx16",
        "sahf", "evex512", "neon", "sve", "crypto",
    ];

    /// <summary>Values of -march that every CPU of the architecture runs.</summary>
    private static readonly HashSet<string> PortableArch = new(StringComparer.Ordinal) { "x86-64", "armv8-a", "rv64gc" };

    /// <summary>
    /// Classifies a target option: null when it is not one AutoPass tunes (ABI, code model...), else whether it is
    /// machine-specific.
    /// </summary>
    public static bool? Classify(string flag)
    {
        int eq = flag.IndexOf('=');
        string name = eq > 0 ? flag[..eq] : flag;
        string? value = eq > 0 ? flag[(eq + 1)..] : null;
        switch (name)
        {
            case "-march" or "-mcpu" when value is { Length: > 0 }:
                return !PortableArch.Contains(value);
            case "-mtune" when value is { Length: > 0 }:
                return value != "generic";
            case "-mprefer-vector-width" when value is "none" or "128" or "256" or "512":
                return false;
        }
        if (value is not null) return null;
        if (name.StartsWith("-mno-", StringComparison.Ordinal))
            return IsIsa(name["-mno-".Length..]) ? false : null;
        return IsIsa(name["-m".Length..]) ? true : null;
    }

    private static bool IsIsa(string extension) =>
        extension.Length > 0 && IsaPrefixes.Any(p => extension.StartsWith(p, StringComparison.Ordinal))
        && extension.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '.' || c == '-');
}
