using System.Globalization;
using System.Text.RegularExpressions;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Processes;
using NuGet.Versioning;

namespace AutoPass.Core.Compilers;

/// <summary>Asks the installed compiler who it is and which optimization flags it has.</summary>
internal static partial class CompilerProbe
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Identifies the compiler from its predefined macros (a <c>cc</c> symlink or a vendor build names itself
    /// unreliably in <c>--version</c>), falling back to the <c>--version</c> text.
    /// </summary>
    public static Task<CompilerInfo> IdentifyAsync(string compilerPath, CancellationToken cancellationToken = default) =>
        IdentifyAsync(compilerPath, TimeSpan.FromSeconds(30), cancellationToken);

    /// <param name="limit">How long each of its questions may take (tests shorten it).</param>
    internal static async Task<CompilerInfo> IdentifyAsync(string compilerPath, TimeSpan limit, CancellationToken cancellationToken)
    {
        var result = await AskAsync(compilerPath, ["--version"], limit, cancellationToken);
        if (!result.Succeeded)
            throw new AutoPassException(DiagnosticCode.CompilerMissing,
                $"The compiler '{compilerPath}' did not answer '--version': {result.StandardError.Trim()}",
                "Install gcc or clang, or point CMake at one with the CC/CXX environment variables or AutoPassCCompiler.");
        string firstLine = result.StandardOutput.Split('\n')[0].Trim();

        var macros = await AskAsync(compilerPath, ["-dM", "-E", "-x", "c", "-"], limit, cancellationToken);
        if (macros.Succeeded && FromMacros(macros.StandardOutput) is { } fromMacros)
            return new CompilerInfo(fromMacros.Id, fromMacros.Version, compilerPath, firstLine);

        string id = result.StandardOutput.Contains("clang", StringComparison.OrdinalIgnoreCase) ? "clang" : "gcc";
        string line = id == "clang"
            ? result.StandardOutput.Split('\n').FirstOrDefault(l => l.Contains("clang version", StringComparison.Ordinal)) ?? firstLine
            : firstLine;
        var match = VersionPattern().Matches(line).LastOrDefault();
        if (match is null || !NuGetVersion.TryParse(match.Value, out var version))
            throw new AutoPassException(DiagnosticCode.CompilerProbeFailed,
                $"Could not read a version from '{firstLine}'.", "Use a gcc or clang release build.");
        return new CompilerInfo(id, new NuGetVersion(version.Major, version.Minor, version.Patch), compilerPath, firstLine);
    }

    /// <summary>Runs the compiler; one that does not answer in time is an error of its own, not a failed probe.</summary>
    private static async Task<ToolResult> AskAsync(string compilerPath, IReadOnlyList<string> arguments, TimeSpan limit, CancellationToken ct)
    {
        var result = await ExternalTool.RunAsync(compilerPath, arguments, timeout: limit, cancellationToken: ct);
        if (result.TimedOut)
            throw new AutoPassException(DiagnosticCode.CompilerTimedOut,
                $"The compiler '{compilerPath}' did not answer '{string.Join(' ', arguments)}' within {limit.TotalSeconds:0} s.",
                "Check that the compiler finishes when run by hand (a wrapper script or a license check may wait forever), or point AutoPassCCompiler (or CC) at another one.");
        return result;
    }

    /// <summary>Compiler id and version from <c>-dM -E</c> output; null when neither gcc nor clang.</summary>
    internal static (string Id, NuGetVersion Version)? FromMacros(string defines)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match m in DefineLine().Matches(defines))
            values[m.Groups["name"].Value] = int.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        int Get(string name) => values.GetValueOrDefault(name);
        if (values.ContainsKey("__clang_major__"))
            return ("clang", new NuGetVersion(Get("__clang_major__"), Get("__clang_minor__"), Get("__clang_patchlevel__")));
        if (values.ContainsKey("__GNUC__") && !defines.Contains("__INTEL", StringComparison.Ordinal))
            return ("gcc", new NuGetVersion(Get("__GNUC__"), Get("__GNUC_MINOR__"), Get("__GNUC_PATCHLEVEL__")));
        return null;
    }

    /// <summary>The compiler's optimization flags and their state at the baseline flags.</summary>
    public static async Task<FlagCatalog> CatalogAsync(CompilerInfo compiler, IReadOnlyList<string> baselineFlags, CancellationToken cancellationToken = default) =>
        compiler.Id switch
        {
            "gcc" => await GccCatalogAsync(compiler, baselineFlags, cancellationToken),
            "clang" => await ClangCatalogAsync(compiler, cancellationToken),
            "msvc" => MsvcFlagCatalog.Create(compiler),
            _ => throw new AutoPassException(DiagnosticCode.CompilerProbeFailed,
                $"AutoPass does not know the flags of compiler '{compiler.Id}'.", "Use gcc or clang."),
        };

    private static async Task<FlagCatalog> GccCatalogAsync(CompilerInfo compiler, IReadOnlyList<string> baselineFlags, CancellationToken ct)
    {
        var optimizers = await AskAsync(compiler.Path, ["-Q", "--help=optimizers", .. baselineFlags], ProbeTimeout, ct);
        if (!optimizers.Succeeded)
            throw new AutoPassException(DiagnosticCode.CompilerProbeFailed,
                $"'{compiler.Path} -Q --help=optimizers' failed: {optimizers.StandardError.Trim()}", "Check that the baseline flags are valid for this compiler.");
        var parameters = await AskAsync(compiler.Path, ["-Q", "--help=params", .. baselineFlags], ProbeTimeout, ct);
        if (!parameters.Succeeded)
            throw new AutoPassException(DiagnosticCode.CompilerProbeFailed,
                $"'{compiler.Path} -Q --help=params' failed: {parameters.StandardError.Trim()}", "Check that the baseline flags are valid for this compiler.");
        var atBaseline = GccHelpParser.ParseOptimizers(optimizers.StandardOutput);
        // What -O2 after the baseline turns off: the passes a level move down can take back one by one.
        var atO2 = await AskAsync(compiler.Path, ["-Q", "--help=optimizers", .. baselineFlags, "-O2"], ProbeTimeout, ct);
        var offAtO2 = atO2.Succeeded
            ? GccHelpParser.ParseOptimizers(atO2.StandardOutput).Where(f => f.Kind == FlagKind.Toggle && f.EnabledAtBaseline == false).Select(f => f.Name).ToHashSet(StringComparer.Ordinal)
            : [];
        var catalog = new FlagCatalog(compiler, [.. atBaseline, .. GccHelpParser.ParseParams(parameters.StandardOutput)])
        {
            PassesAboveO2 = atBaseline.Where(f => f.Kind == FlagKind.Toggle && f.EnabledAtBaseline == true && offAtO2.Contains(f.Name)).Select(f => f.Name).ToList(),
        };
        var extras = GccExtraFlags.All.Where(e => catalog.Find(e.Name, e.Syntax) is null).ToList();
        return catalog.With(await AcceptedAsync(compiler, extras, ct));
    }

    private static async Task<FlagCatalog> ClangCatalogAsync(CompilerInfo compiler, CancellationToken ct) =>
        new(compiler, await AcceptedAsync(compiler, [.. ClangKnobs.Toggles, .. ClangKnobs.LlvmOptions], ct));

    /// <summary>The definitions whose probe spelling the compiler accepts (one compile when all are known).</summary>
    private static async Task<IReadOnlyList<FlagDefinition>> AcceptedAsync(CompilerInfo compiler, IReadOnlyList<FlagDefinition> candidates, CancellationToken ct)
    {
        var spellings = candidates.Select(c => (Definition: c, Unit: new FlagUnit(ClangKnobs.ProbeSpelling(c)))).ToList();
        var rejected = (await ProbeAsync(compiler, spellings.SelectMany(s => s.Unit.Arguments).ToList(), ct))
            .Select(r => r.Flag).ToHashSet(StringComparer.Ordinal);
        return spellings.Where(s => !rejected.Contains(s.Unit.Display)).Select(s => s.Definition).ToList();
    }

    /// <summary>
    /// The flags the compiler rejects, each as its unit's display string (an <c>-mllvm</c> pair is one entry).
    /// See <see cref="ProbeAsync"/>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RejectedFlagsAsync(CompilerInfo compiler, IReadOnlyList<string> flags, CancellationToken ct = default) =>
        (await ProbeAsync(compiler, flags, ct)).Select(r => r.Flag).ToList();

    /// <summary>
    /// Compiles a small translation unit with all the flags and -Werror (clang only warns on unknown -f options),
    /// so unknown or ignored options fail fast before a full build. One compile when all are accepted; on failure the
    /// set is bisected, keeping <c>-mllvm</c> pairs whole. When every part passes alone but not together, all the
    /// flags of that part are reported, with the reason saying so.
    /// </summary>
    public static async Task<IReadOnlyList<FlagRejection>> ProbeAsync(CompilerInfo compiler, IReadOnlyList<string> flags, CancellationToken ct = default)
    {
        var units = FlagUnit.Split(flags);
        if (units.Count == 0) return [];
        var rejected = new List<FlagRejection>();
        await BisectAsync(compiler, units, rejected, ct);
        return rejected;
    }

    private static async Task BisectAsync(CompilerInfo compiler, IReadOnlyList<FlagUnit> units, List<FlagRejection> rejected, CancellationToken ct)
    {
        var (accepted, reason) = await CompileAsync(compiler, units, ct);
        if (accepted) return;
        if (units.Count == 1)
        {
            rejected.Add(new FlagRejection(units[0].Display, reason));
            return;
        }
        int before = rejected.Count;
        int half = units.Count / 2;
        await BisectAsync(compiler, units.Take(half).ToList(), rejected, ct);
        await BisectAsync(compiler, units.Skip(half).ToList(), rejected, ct);
        if (rejected.Count == before)
            rejected.AddRange(units.Select(u => new FlagRejection(u.Display, "rejected only in combination: " + reason)));
    }

    private const string ProbeSource = """
        int autopass_probe(const int *v, int n) {
          int s = 0;
          for (int i = 0; i < n; i++) s += v[i] * v[i];
          return s;
        }

        """;

    private static async Task<(bool Accepted, string Reason)> CompileAsync(CompilerInfo compiler, IReadOnlyList<FlagUnit> units, CancellationToken ct)
    {
        // A scratch directory per probe, removed afterwards: nothing is left in /tmp, even when probes run in parallel.
        string dir = Directory.CreateTempSubdirectory("autopass-probe-").FullName;
        string output = Path.Combine(dir, "probe.o");
        var arguments = new List<string> { "-c", "-Werror" };
        foreach (var unit in units)
        {
            // gcc accepts any unknown -fno-X silently unless another diagnostic is printed; naming -fX first
            // makes an unknown option fail while leaving the final state as asked.
            if (compiler.Id == "gcc" && unit.Arguments is [var single] && single.StartsWith("-fno-", StringComparison.Ordinal) && !single.Contains('='))
                arguments.Add("-f" + single["-fno-".Length..]);
            arguments.AddRange(unit.Arguments);
        }
        arguments.AddRange([Path.Combine(dir, "probe.c"), "-o", output]);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "probe.c"), ProbeSource, ct);
            var result = await ExternalTool.RunAsync(compiler.Path, arguments, workingDirectory: dir, timeout: ProbeTimeout, cancellationToken: ct);
            if (result.Succeeded) return (true, "");
            if (result.TimedOut) return (false, "the compiler timed out");
            string said = result.StandardError.Split('\n').Select(l => l.Trim())
                .FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("warning", StringComparison.OrdinalIgnoreCase))
                ?? result.StandardError.Trim();
            bool crashed = result.ExitCode < 0 || result.ExitCode > 128
                || result.StandardError.Contains("internal compiler error", StringComparison.Ordinal)
                || result.StandardError.Contains("PLEASE submit a bug report", StringComparison.Ordinal);
            return (false, crashed ? "the compiler crashed: " + said : said);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { } // best effort; the system cleans its temp directory
        }
    }

    [GeneratedRegex(@"(\d+)\.(\d+)(\.(\d+))?")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^#define (?<name>__[A-Za-z_]+__) (?<value>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex DefineLine();
}
