using System.Text.Json;
using AutoPass.Core.Processes;

namespace AutoPass.Core.Compilers.Profiling;

/// <summary>A source file of the project and its share of the profiled instructions that fell in the project's own code.</summary>
/// <param name="File">Absolute path, as compile_commands.json names it.</param>
/// <param name="Share">0..1 of the instructions mapped to the project's files (averaged over the benchmarks).</param>
internal sealed record HotFile(string File, double Share);

/// <summary>What a profile found: the files by share, and how much of it matched the project's object files (for AP2011's account).</summary>
/// <param name="Functions">Distinct functions the profile had instructions in.</param>
/// <param name="MatchedFunctions">Of those, the ones defined by a symbol of the build's object files.</param>
/// <param name="ObjectFiles">Object files compile_commands.json named that were found and read.</param>
internal sealed record HotFileProfileResult(IReadOnlyList<HotFile> Files, int Functions, int MatchedFunctions, int ObjectFiles)
{
    public static readonly HotFileProfileResult Empty = new([], 0, 0, 0);

    /// <summary>Runs profiled only in part: still going when the sampling time was up.</summary>
    public int SampledRuns { get; init; }
}

/// <summary>
/// Which source files hold the run time: the baseline's benchmarks run under callgrind (symbols left mangled), and each
/// function is mapped to the translation unit that defines it through the object files compile_commands.json names
/// (<c>nm</c>), so no debug information is needed: a Release build's callgrind profile has no file names (fl=???).
/// A function defined in several objects (an inline function or template kept out of line) counts for each, split evenly.
/// </summary>
internal static class HotFileProfile
{
    /// <summary>True when valgrind is on PATH, so a profile can be taken.</summary>
    public static bool Available => ExternalTool.FindOnPath("valgrind") is not null && ExternalTool.FindOnPath("nm") is not null;

    /// <summary>One benchmark run to profile.</summary>
    internal sealed record ProfiledRun(string Executable, IReadOnlyList<string> Arguments, string WorkingDirectory);

    /// <summary>The build's files by share of the profiled instructions, hottest first (none when nothing mapped), and what matched.</summary>
    /// <exception cref="InvalidOperationException">valgrind or nm is missing, or a run produced no profile.</exception>
    /// <param name="sampleFor">How long each run is profiled: a run still going then is interrupted, and callgrind's profile of
    /// what it ran so far is used (a sample of its start; a long benchmark would otherwise cost minutes at callgrind's 50x).</param>
    public static async Task<HotFileProfileResult> ProfileAsync(string buildDirectory, IReadOnlyList<ProfiledRun> runs, TimeSpan sampleFor, TimeSpan timeout, CancellationToken ct)
    {
        string valgrind = ExternalTool.FindOnPath("valgrind") ?? throw new InvalidOperationException("valgrind is not installed (apt-get install valgrind)");
        var (definitions, objectFiles) = await DefinitionsAsync(buildDirectory, ct);
        if (definitions.Count == 0) return HotFileProfileResult.Empty with { ObjectFiles = objectFiles };
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        var functions = new HashSet<string>(StringComparer.Ordinal);
        int profiled = 0, sampled = 0;
        foreach (var run in runs)
        {
            string output = Path.Combine(Path.GetTempPath(), $"autopass-callgrind-{Guid.NewGuid():N}.out");
            try
            {
                var result = await ExternalTool.RunAsync(valgrind,
                    ["--tool=callgrind", $"--callgrind-out-file={output}", "--demangle=no", "--quiet", Path.GetFullPath(run.Executable), .. run.Arguments],
                    workingDirectory: run.WorkingDirectory, timeout: timeout, cancellationToken: ct, interruptAfter: sampleFor);
                if (result.Interrupted) sampled++;
                if (!File.Exists(output))
                    throw new InvalidOperationException($"callgrind wrote no profile of {Path.GetFileName(run.Executable)} (exit {result.ExitCode}{(result.TimedOut ? ", timed out" : "")}): {result.StandardError.Trim()}");
                var hot = CallgrindOutput.Parse(await File.ReadAllTextAsync(output, ct));
                functions.UnionWith(hot.Where(f => f.Instructions > 0).Select(f => f.Name));
                var perFile = Attribute(hot, definitions);
                double total = perFile.Values.Sum();
                if (total <= 0) continue;
                profiled++;
                foreach (var (file, instructions) in perFile) shares[file] = shares.GetValueOrDefault(file) + instructions / total;
            }
            finally
            {
                File.Delete(output);
            }
        }
        int matched = functions.Count(definitions.ContainsKey);
        if (profiled == 0) return new HotFileProfileResult([], functions.Count, matched, objectFiles) { SampledRuns = sampled };
        return new HotFileProfileResult(shares.Select(s => new HotFile(s.Key, s.Value / profiled))
            .OrderByDescending(f => f.Share).ThenBy(f => f.File, StringComparer.Ordinal).ToList(), functions.Count, matched, objectFiles) { SampledRuns = sampled };
    }

    /// <summary>The hottest files that together hold at least <paramref name="share"/> of the instructions (at least one file).</summary>
    public static IReadOnlyList<HotFile> Select(IReadOnlyList<HotFile> files, double share)
    {
        var chosen = new List<HotFile>();
        double sum = 0;
        foreach (var file in files)
        {
            if (chosen.Count > 0 && sum >= share - 1e-9) break;
            chosen.Add(file);
            sum += file.Share;
        }
        return chosen;
    }

    /// <summary>Instructions per source file: each function's self cost goes to the files whose objects define its symbol.</summary>
    internal static Dictionary<string, double> Attribute(IReadOnlyList<HotFunction> functions, IReadOnlyDictionary<string, IReadOnlyList<string>> definitions)
    {
        var perFile = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var function in functions)
        {
            if (!definitions.TryGetValue(function.Name, out var files)) continue;
            foreach (var file in files) perFile[file] = perFile.GetValueOrDefault(file) + (double)function.Instructions / files.Count;
        }
        return perFile;
    }

    /// <summary>Symbol → the source files whose object files define it (text symbols), from the build tree's compile_commands.json; and how many object files were read.</summary>
    internal static async Task<(IReadOnlyDictionary<string, IReadOnlyList<string>> Definitions, int ObjectFiles)> DefinitionsAsync(string buildDirectory, CancellationToken ct)
    {
        string nm = ExternalTool.FindOnPath("nm") ?? throw new InvalidOperationException("nm (binutils) is not installed");
        var definitions = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        int read = 0;
        foreach (var (source, objectFile) in CompileCommands.Objects(buildDirectory))
        {
            if (!File.Exists(objectFile)) continue;
            read++;
            var listed = await ExternalTool.RunAsync(nm, ["--defined-only", "-P", objectFile], timeout: TimeSpan.FromMinutes(1), cancellationToken: ct);
            if (!listed.Succeeded) continue;
            foreach (var line in listed.StandardOutput.Split('\n'))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 2 || fields[1] is not ("T" or "t" or "W" or "w" or "i")) continue;
                if (!definitions.TryGetValue(fields[0], out var files)) definitions[fields[0]] = files = [];
                if (!files.Contains(source)) files.Add(source);
            }
        }
        return (definitions.ToDictionary(d => d.Key, d => (IReadOnlyList<string>)d.Value, StringComparer.Ordinal), read);
    }
}

/// <summary>Reads a build tree's compile_commands.json (CMAKE_EXPORT_COMPILE_COMMANDS=ON).</summary>
internal static class CompileCommands
{
    /// <summary>One compile command: the source file and its object file, both absolute.</summary>
    internal sealed record Entry(string File, string Output);

    public static IReadOnlyList<Entry> Read(string buildDirectory)
    {
        string path = Path.Combine(buildDirectory, "compile_commands.json");
        if (!File.Exists(path)) return [];
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var entries = new List<Entry>();
        foreach (var entry in json.RootElement.EnumerateArray())
        {
            string directory = entry.GetProperty("directory").GetString()!;
            string file = Path.GetFullPath(Path.Combine(directory, entry.GetProperty("file").GetString()!));
            // CMake 3.20+ names the object file; before that, it follows -o in the command (CMake's object paths have no spaces).
            string? output = entry.TryGetProperty("output", out var o) ? o.GetString() : null;
            if (output is null)
            {
                var arguments = entry.TryGetProperty("arguments", out var list)
                    ? list.EnumerateArray().Select(a => a.GetString()!).ToList()
                    : (entry.TryGetProperty("command", out var c) ? c.GetString() ?? "" : "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
                int at = arguments.IndexOf("-o");
                if (at >= 0 && at + 1 < arguments.Count) output = arguments[at + 1];
            }
            if (output is null) continue;
            entries.Add(new Entry(file, Path.GetFullPath(Path.Combine(directory, output))));
        }
        return entries;
    }

    public static IEnumerable<(string File, string Object)> Objects(string buildDirectory) =>
        Read(buildDirectory).Select(e => (e.File, e.Output));
}
