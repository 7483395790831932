using System.Text;
using System.Text.Json;
using AutoPass.Core.Agents;
using AutoPass.Core.Compilers;
using AutoPass.Core.Compilers.Profiling;
using AutoPass.Core.Compilers.Remarks;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Search;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Evidence;

/// <summary>
/// Gathers what the agent stages read before the first trial: the compiler's optimization remarks on the
/// baseline (from the project's own compile commands) and, when it is affordable, the hot functions of each
/// benchmark from callgrind. Best effort: evidence that cannot be had is left out, never fails a session.
/// </summary>
public static class ProgramEvidenceCollector
{
    private const int MaxSources = 24;
    private const int MaxDigestCharacters = 4000;

    /// <summary>Profiling runs under callgrind about 50x slower; skip a benchmark whose baseline run would take longer than this.</summary>
    private static readonly TimeSpan ProfileLimit = TimeSpan.FromMinutes(2);

    public static async Task<ProgramEvidence> CollectAsync(TuningRequest request, BaselineReference baseline, CompilerInfo compiler, bool profile, IDiagnosticSink sink, CancellationToken ct)
    {
        string digest = await RemarksAsync(request, baseline, compiler, sink, ct);
        var hot = new List<Agents.HotFunction>();
        if (profile)
        {
            foreach (var benchmark in request.Benchmarks)
            {
                if (TimeSpan.FromSeconds(baseline.ReferenceSeconds[benchmark.DisplayName] * 60) > ProfileLimit) continue;
                try
                {
                    var functions = await HotFunctionProfiler.ProfileAsync(baseline.Build.Executables[benchmark.Target], benchmark.Arguments, 5, ProfileLimit, ct);
                    hot.AddRange(functions.Select(f => new Agents.HotFunction($"{f.Name} ({benchmark.Target})", f.Share / request.Benchmarks.Count)));
                }
                catch (InvalidOperationException e)
                {
                    sink.Detail($"no profile of {benchmark.DisplayName}: {e.Message}");
                }
            }
        }
        return new ProgramEvidence(hot.OrderByDescending(h => h.Share).ToList(), digest);
    }

    private static async Task<string> RemarksAsync(TuningRequest request, BaselineReference baseline, CompilerInfo compiler, IDiagnosticSink sink, CancellationToken ct)
    {
        string commands = Path.Combine(baseline.Build.BuildDirectory, "compile_commands.json");
        if (!File.Exists(commands)) return "";
        var text = new StringBuilder();
        try
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(commands, ct));
            foreach (var entry in json.RootElement.EnumerateArray().Take(MaxSources))
            {
                string file = entry.GetProperty("file").GetString()!;
                if (!file.EndsWith(".c", StringComparison.Ordinal) && !file.EndsWith(".cc", StringComparison.Ordinal) &&
                    !file.EndsWith(".cpp", StringComparison.Ordinal) && !file.EndsWith(".cxx", StringComparison.Ordinal)) continue;
                var arguments = entry.TryGetProperty("arguments", out var list)
                    ? list.EnumerateArray().Select(a => a.GetString()!).ToList()
                    : CommandLineSplitter.Split(entry.GetProperty("command").GetString()!).ToList();
                var digest = await RemarkCollector.CollectAsync(compiler, [file], request.BaselineFlags, ProjectArguments(arguments), ct);
                text.Append(digest.ToText());
                if (text.Length > MaxDigestCharacters) break;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or IOException or FormatException)
        {
            sink.Detail($"no compiler remarks: {e.Message}");
        }
        return text.Length > MaxDigestCharacters ? text.ToString(0, MaxDigestCharacters) + "\n…" : text.ToString();
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
