using AutoPass.Core.Compilers;

namespace AutoPass.Core.Policy;

/// <param name="AllowUnsafeMath">Allow semantics-changing math flags (-Ofast, the fast-math family).</param>
/// <param name="AllowMachineSpecific">Allow -march=native / -mtune=native and friends.</param>
public sealed record PolicyOptions(bool AllowUnsafeMath = false, bool AllowMachineSpecific = false);

/// <summary>Whether one flag may reach a compiler command line, and why not.</summary>
public sealed record PolicyDecision(string Flag, bool Allowed, string? Reason)
{
    public static PolicyDecision Allow(string flag) => new(flag, true, null);
    public static PolicyDecision Deny(string flag, string reason) => new(flag, false, reason);
}

/// <summary>
/// The only gate between a proposed flag and a compiler command line. Whatever proposes a flag,
/// an agent included, goes through <see cref="Evaluate"/>: only optimization options pass.
/// </summary>
public sealed class FlagPolicy(PolicyOptions options, FlagCatalog? catalog = null)
{
    public PolicyOptions Options { get; } = options;

    private static readonly string[] UnsafeMath =
    [
        "-Ofast", "-ffast-math", "-funsafe-math-optimizations", "-fassociative-math", "-freciprocal-math",
        "-ffinite-math-only", "-fno-signed-zeros", "-fno-trapping-math", "-fno-math-errno", "-fcx-limited-range",
        "-fno-honor-infinities", "-fno-honor-nans", "-fapprox-func",
    ];

    public PolicyDecision Evaluate(string flag)
    {
        if (string.IsNullOrWhiteSpace(flag)) return PolicyDecision.Deny(flag, "empty flag");
        if (flag.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || flag.IndexOfAny(['"', '\'', '`', '$', ';', '|', '&', '<', '>', '\\']) >= 0)
            return PolicyDecision.Deny(flag, "contains whitespace, quotes or shell characters");
        if (flag.StartsWith('@')) return PolicyDecision.Deny(flag, "response files (@file) read arbitrary paths");
        if (!flag.StartsWith('-')) return PolicyDecision.Deny(flag, "not an option");
        if (flag.Contains('/') && !flag.StartsWith("--param=", StringComparison.Ordinal))
            return PolicyDecision.Deny(flag, "options naming paths are not optimization options");

        string name = flag.Split('=')[0];
        if (UnsafeMath.Contains(name) && !Options.AllowUnsafeMath)
            return PolicyDecision.Deny(flag, "changes floating-point semantics; set AutoPassAllowUnsafeMath=true to allow");
        if ((name is "-march" or "-mtune" or "-mcpu") && !Options.AllowMachineSpecific)
            return PolicyDecision.Deny(flag, "ties the binary to this machine's CPU; set AutoPassAllowMachineSpecific=true to allow");

        if (flag is "-O0" or "-O1" or "-O2" or "-O3" or "-Os" or "-Oz" or "-Og") return PolicyDecision.Allow(flag);
        if (UnsafeMath.Contains(name)) return PolicyDecision.Allow(flag);
        if (name is "-march" or "-mtune" or "-mcpu") return PolicyDecision.Allow(flag);
        if (flag is "-flto" or "-flto=auto" or "-fuse-linker-plugin") return PolicyDecision.Allow(flag);

        if (IsForbiddenFamily(name, out var why)) return PolicyDecision.Deny(flag, why);
        if (flag.StartsWith("--param=", StringComparison.Ordinal) || flag.StartsWith("-f", StringComparison.Ordinal))
        {
            if (catalog is not null && !catalog.Knows(flag))
                return PolicyDecision.Deny(flag, $"not an optimization option of {catalog.Compiler.Id} {catalog.Compiler.Version}");
            return PolicyDecision.Allow(flag);
        }
        return PolicyDecision.Deny(flag, "not an optimization option");
    }

    private static bool IsForbiddenFamily(string name, out string why)
    {
        (string Prefix, string Why)[] families =
        [
            ("-fplugin", "loads code into the compiler"),
            ("-fdump-", "writes files"),
            ("-fprofile-", "reads or writes profile files"),
            ("-fauto-profile", "reads profile files"),
            ("-fcallgraph-info", "writes files"),
            ("-fstack-usage", "writes files"),
            ("-fdebug-prefix-map", "rewrites paths"),
            ("-fmacro-prefix-map", "rewrites paths"),
            ("-ffile-prefix-map", "rewrites paths"),
            ("-frecord-gcc-switches", "embeds the command line"),
            ("-fsave-optimization-record", "writes files"),
            ("-fopt-info", "writes files"),
            ("-fsanitize", "changes the program's behaviour"),
            ("-finstrument-functions", "changes the program's behaviour"),
            ("-fexec-charset", "changes the program's behaviour"),
        ];
        foreach (var (prefix, reason) in families)
            if (name.StartsWith(prefix, StringComparison.Ordinal)) { why = reason; return true; }
        why = "";
        return false;
    }
}
