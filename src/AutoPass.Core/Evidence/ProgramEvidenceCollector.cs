using System.Text.Json;
using System.Text;
using AutoPass.Core.Check;
using AutoPass.Core.Compilers.Profiling;
using AutoPass.Core.Compilers.Remarks;
using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Evidence;

/// <summary>
/// Gathers what the agent stages read before the first trial: the compiler's optimization remarks on the
/// baseline (from the project's own compile commands) and, when it is affordable, the hot functions of each
/// benchmark from callgrind. Best effort: evidence that cannot be had is left out, never fails a session.
/// </summary>
internal static class ProgramEvidenceCollector
{
    private const int MaxSources = 24;
    private const int MaxDigestCharacters = 4000;

    /// <summary>Profiling runs under callgrind about 50x slower; skip a benchmark whose baseline run would take longer than this.</summary>
    private static readonly TimeSpan ProfileLimit = TimeSpan.FromMinutes(2);

    /// <param name="baselineRemarks">The baseline's remark digest (<see cref="DigestAsync"/>), computed once by the caller.</param>
    public static async Task<ProgramEvidence> CollectAsync(TuningRequest request, BaselineReference baseline, RemarkDigest? baselineRemarks, bool profile, IDiagnosticSink sink, CancellationToken ct)
    {
        string text = baselineRemarks?.ToText() ?? "";
        string digest = text.Length > MaxDigestCharacters ? text[..MaxDigestCharacters] + "\n…" : text;
        var hot = new List<HotFunction>();
        if (profile)
        {
            foreach (var benchmark in request.Benchmarks)
            {
                if (TimeSpan.FromSeconds(baseline.ReferenceSeconds[benchmark.DisplayName] * 60) > ProfileLimit) continue;
                try
                {
                    var functions = await HotFunctionProfiler.ProfileAsync(baseline.Build.Executables[benchmark.Target], benchmark.Arguments, 5, ProfileLimit, ct);
                    hot.AddRange(functions.Select(f => new HotFunction($"{f.Name} ({benchmark.Target})", f.Share / request.Benchmarks.Count)));
                }
                catch (InvalidOperationException e)
                {
                    sink.Detail($"no profile of {benchmark.DisplayName}: {e.Message}");
                }
            }
        }
        return new ProgramEvidence(hot.OrderByDescending(h => h.Share).ToList(), digest);
    }

    /// <summary>
    /// What the compiler reports doing to the project's sources with <paramref name="flags"/>, from the compile
    /// commands of a configured build tree; null when there are none or the compiler cannot produce remarks.
    /// </summary>
    /// <param name="onlyFiles">The source files (absolute) to read remarks of; null: the first of all.</param>
    public static async Task<RemarkDigest?> DigestAsync(string buildDirectory, CompilerInfo compiler, IReadOnlyList<string> flags, IDiagnosticSink sink, CancellationToken ct,
        IReadOnlyCollection<string>? onlyFiles = null)
    {
        string commands = Path.Combine(buildDirectory, "compile_commands.json");
        if (!File.Exists(commands)) return null;
        var functions = new List<FunctionRemarks>();
        try
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(commands, ct));
            var entries = json.RootElement.EnumerateArray()
                .Where(e => onlyFiles is null || onlyFiles.Contains(Path.GetFullPath(Path.Combine(e.GetProperty("directory").GetString()!, e.GetProperty("file").GetString()!))));
            foreach (var entry in entries.Take(MaxSources))
            {
                string file = entry.GetProperty("file").GetString()!;
                if (!file.EndsWith(".c", StringComparison.Ordinal) && !file.EndsWith(".cc", StringComparison.Ordinal) &&
                    !file.EndsWith(".cpp", StringComparison.Ordinal) && !file.EndsWith(".cxx", StringComparison.Ordinal)) continue;
                var arguments = entry.TryGetProperty("arguments", out var list)
                    ? list.EnumerateArray().Select(a => a.GetString()!).ToList()
                    : CommandLineSplitter.Split(entry.GetProperty("command").GetString()!).ToList();
                functions.AddRange((await RemarkCollector.CollectAsync(compiler, [file], flags, ProjectArguments(arguments), ct)).Functions);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or IOException or FormatException)
        {
            sink.Detail($"no compiler remarks: {e.Message}");
            return null;
        }
        return new RemarkDigest(functions);
    }

    /// <summary>What a candidate's flags changed in the compiler's decisions against the baseline's, one line a change, bounded.</summary>
    public static string DescribeChanges(RemarkDigest baseline, RemarkDigest candidate, int maxLines = 12)
    {
        var changes = baseline.Diff(candidate);
        var lines = changes.Take(maxLines).Select(c => c.ToString()).ToList();
        if (changes.Count > maxLines) lines.Add($"… and {changes.Count - maxLines} more changes");
        return lines.Count == 0 ? "no change in vectorization, unrolling or inlining decisions" : string.Join("\n", lines);
    }

    /// <summary>Only the arguments that decide what the source means (includes, defines, language standard).</summary>
    private static IReadOnlyList<string> ProjectArguments(IReadOnlyList<string> arguments)
    {
        var kept = new List<string>();
        for (int i = 1; i < arguments.Count; i++)
        {
            string a = arguments[i];
            if (a is "-I" or "-D" or "-isystem" or "-include" && i + 1 < arguments.Count) { kept.Add(a); kept.Add(arguments[++i]); }
            else if (a.StartsWith("-I", StringComparison.Ordinal) || a.StartsWith("-D", StringComparison.Ordinal) || a.StartsWith("-std=", StringComparison.Ordinal)) kept.Add(a);
        }
        return kept;
    }
}
