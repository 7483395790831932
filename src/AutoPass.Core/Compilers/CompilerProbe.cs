using System.Globalization;
using System.Text.RegularExpressions;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Processes;
using NuGet.Versioning;

namespace AutoPass.Core.Compilers;

/// <summary>Asks the installed compiler who it is and which optimization flags it has.</summary>
public static partial class CompilerProbe
{
    public static async Task<CompilerInfo> IdentifyAsync(string compilerPath, CancellationToken cancellationToken = default)
    {
        var result = await ExternalTool.RunAsync(compilerPath, ["--version"], timeout: TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
        if (!result.Succeeded)
            throw new AutoPassException(DiagnosticCode.CompilerMissing,
                $"The compiler '{compilerPath}' did not answer '--version': {result.StandardError.Trim()}",
                "Install gcc or clang, or point CMake at one with the CC/CXX environment variables or AutoPassCCompiler.");
        string firstLine = result.StandardOutput.Split('\n')[0].Trim();
        string id = result.StandardOutput.Contains("clang", StringComparison.OrdinalIgnoreCase) ? "clang" : "gcc";
        var match = VersionPattern().Match(id == "clang" ? ClangVersionLine(result.StandardOutput) : firstLine);
        if (!match.Success || !NuGetVersion.TryParse(match.Value, out var version))
            throw new AutoPassException(DiagnosticCode.CompilerProbeFailed,
                $"Could not read a version from '{firstLine}'.", "Use a gcc or clang release build.");
        if (version.Patch == 0 && match.Value.Count(c => c == '.') == 1)
            version = new NuGetVersion(version.Major, version.Minor, 0);
        return new CompilerInfo(id, version, compilerPath, firstLine);
    }

    private static string ClangVersionLine(string output) =>
        output.Split('\n').FirstOrDefault(l => l.Contains("clang version", StringComparison.Ordinal)) ?? output;

    /// <summary>The compiler's optimization flags and their state at the baseline flags.</summary>
    public static async Task<FlagCatalog> CatalogAsync(CompilerInfo compiler, IReadOnlyList<string> baselineFlags, CancellationToken cancellationToken = default)
    {
        if (compiler.Id == "gcc") return await GccCatalogAsync(compiler, baselineFlags, cancellationToken);
        return await ClangCatalogAsync(compiler, cancellationToken);
    }

    private static async Task<FlagCatalog> GccCatalogAsync(CompilerInfo compiler, IReadOnlyList<string> baselineFlags, CancellationToken ct)
    {
        var optimizers = await ExternalTool.RunAsync(compiler.Path, ["-Q", "--help=optimizers", .. baselineFlags], timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
        if (!optimizers.Succeeded)
            throw new AutoPassException(DiagnosticCode.CompilerProbeFailed,
                $"'{compiler.Path} -Q --help=optimizers' failed: {optimizers.StandardError.Trim()}", "Check that the baseline flags are valid for this compiler.");
        var parameters = await ExternalTool.RunAsync(compiler.Path, ["-Q", "--help=params", .. baselineFlags], timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
        var flags = ParseGccOptimizers(optimizers.StandardOutput).Concat(ParseGccParams(parameters.StandardOutput)).ToList();
        return new FlagCatalog(compiler, flags);
    }

    internal static IEnumerable<FlagDefinition> ParseGccOptimizers(string helpText)
    {
        foreach (var raw in helpText.Split('\n'))
        {
            var m = GccOptionLine().Match(raw);
            if (!m.Success) continue;
            string name = m.Groups["name"].Value, state = m.Groups["state"].Value.Trim();
            if (state == "[enabled]" || state == "[disabled]")
                yield return new FlagDefinition(name, FlagKind.Toggle, EnabledAtBaseline: state == "[enabled]");
            else if (m.Groups["values"].Success)
            {
                var values = m.Groups["values"].Value.Split('|');
                yield return new FlagDefinition(name, FlagKind.Enum, Values: values);
            }
        }
    }

    internal static IEnumerable<FlagDefinition> ParseGccParams(string helpText)
    {
        foreach (var raw in helpText.Split('\n'))
        {
            var m = GccParamLine().Match(raw);
            if (!m.Success) continue;
            long? min = m.Groups["min"].Success ? long.Parse(m.Groups["min"].Value, CultureInfo.InvariantCulture) : null;
            long? max = m.Groups["max"].Success ? long.Parse(m.Groups["max"].Value, CultureInfo.InvariantCulture) : null;
            long? value = long.TryParse(m.Groups["value"].Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
            if (value is null) continue;
            yield return new FlagDefinition(m.Groups["name"].Value, FlagKind.Parameter, Min: min, Max: max, Default: value);
        }
    }

    /// <summary>Clang prints no option states; these are its optimization toggles that -O3 leaves off or on.</summary>
    private static readonly (string Flag, bool OnAtO3)[] ClangToggles =
    [
        ("-funroll-loops", true), ("-fvectorize", true), ("-fslp-vectorize", true), ("-finline-functions", true),
        ("-fomit-frame-pointer", true), ("-fstrict-aliasing", true), ("-fmerge-all-constants", false),
        ("-fno-semantic-interposition", false), ("-fstrict-vtable-pointers", false), ("-fjump-tables", true),
        ("-fzero-initialized-in-bss", true), ("-fdelete-null-pointer-checks", true), ("-fplt", true),
        ("-fwhole-program-vtables", false), ("-fsplit-machine-functions", false),
    ];

    private static async Task<FlagCatalog> ClangCatalogAsync(CompilerInfo compiler, CancellationToken ct)
    {
        var flags = new List<FlagDefinition>();
        foreach (var (flag, on) in ClangToggles)
        {
            string canonical = flag.StartsWith("-fno-", StringComparison.Ordinal) ? "-f" + flag["-fno-".Length..] : flag;
            bool enabled = flag.StartsWith("-fno-", StringComparison.Ordinal) ? !on : on;
            var definition = new FlagDefinition(canonical, FlagKind.Toggle, EnabledAtBaseline: enabled);
            if ((await RejectedFlagsAsync(compiler, [definition.Flip()!], ct)).Count == 0)
                flags.Add(definition);
        }
        return new FlagCatalog(compiler, flags);
    }

    /// <summary>
    /// Compiles an empty translation unit with the flags and -Werror, so unknown or ignored options fail fast
    /// before a full build. Returns the flags the compiler rejects (tested one at a time only on failure).
    /// </summary>
    public static async Task<IReadOnlyList<string>> RejectedFlagsAsync(CompilerInfo compiler, IReadOnlyList<string> flags, CancellationToken ct = default)
    {
        if (flags.Count == 0) return [];
        if (await AcceptsAsync(compiler, flags, ct)) return [];
        var rejected = new List<string>();
        foreach (var flag in flags)
            if (!await AcceptsAsync(compiler, [flag], ct)) rejected.Add(flag);
        return rejected.Count > 0 ? rejected : flags.ToList();
    }

    private static async Task<bool> AcceptsAsync(CompilerInfo compiler, IReadOnlyList<string> flags, CancellationToken ct)
    {
        string dir = Path.Combine(Path.GetTempPath(), "autopass-probe");
        Directory.CreateDirectory(dir);
        string source = Path.Combine(dir, "probe.c");
        if (!File.Exists(source)) await File.WriteAllTextAsync(source, "int autopass_probe(int x) { return x * 2; }\n", ct);
        string output = Path.Combine(dir, $"probe-{Environment.ProcessId}-{Guid.NewGuid():N}.o");
        try
        {
            var result = await ExternalTool.RunAsync(compiler.Path, ["-c", "-Werror", .. flags, source, "-o", output], timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
            return result.Succeeded;
        }
        finally
        {
            File.Delete(output);
        }
    }

    [GeneratedRegex(@"(\d+)\.(\d+)(\.(\d+))?")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^\s{2}(?<name>-f[a-z0-9][a-z0-9-]*)(=\[(?<values>[^\]]+)\])?\s+(?<state>\S.*)$")]
    private static partial Regex GccOptionLine();

    [GeneratedRegex(@"^\s{2}--param=(?<name>[a-z0-9-]+)=(<(?<min>-?\d+),(?<max>-?\d+)>)?\s+(?<value>\S+)\s*$")]
    private static partial Regex GccParamLine();
}
