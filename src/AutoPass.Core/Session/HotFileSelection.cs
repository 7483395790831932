using System.Diagnostics;
using AutoPass.Core.Build;
using AutoPass.Core.Check;
using AutoPass.Core.Compilers.Profiling;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>The source files candidates change (hot-file tuning), relative to the source directory with '/', and their shares.</summary>
/// <param name="Files">Hottest first.</param>
internal sealed record HotFileSet(IReadOnlyList<HotFile> Files, double Share)
{
    /// <summary>The relative path of each hot file, as autopass.cmake and the lock file name it.</summary>
    public IReadOnlyList<string> RelativePaths(string sourceDir) => Files.Select(f => HotFileSelection.Relative(sourceDir, f.File)).ToList();

    /// <summary>Each hot file by relative path with its share, as the ledger and the findings keep them.</summary>
    public IReadOnlyList<Evidence.HotSourceFile> SourceFiles(string sourceDir) =>
        Files.Select(f => new Evidence.HotSourceFile(HotFileSelection.Relative(sourceDir, f.File), f.Share)).ToList();
}

/// <summary>
/// AutoPassTuneScope=hot: profiles the baseline's benchmarks under callgrind, maps the instructions to the project's
/// source files, and keeps the hottest files that hold AutoPassHotShare of them. Returns null (tune the whole project)
/// when the scope is project, or, with a warning (AP2011), when no profile can be taken or nothing in it maps to a file.
/// </summary>
internal static class HotFileSelection
{
    /// <summary>A benchmark under callgrind runs about 50x slower: one whose baseline took longer than this is not profiled.</summary>
    private static readonly TimeSpan ProfileLimit = TimeSpan.FromMinutes(15);

    public static async Task<HotFileSet?> SelectAsync(TuningRequest request, BaselineReference baseline, IDiagnosticSink sink, CancellationToken ct)
    {
        if (request.TuneScope != TuneScope.Hot) return null;
        if (request.NoProfiler || !HotFileProfile.Available)
        {
            sink.Warning(DiagnosticCode.NoHotFileProfile,
                "valgrind (or nm) is not installed, so no profile tells which source files are hot: the whole project is tuned, and every candidate is a full rebuild. " +
                "Install valgrind (apt-get install valgrind) for hot-file tuning, or set AutoPassTuneScope=project to say you want the whole project.");
            return null;
        }
        // Candidates' programs are copied out of the one tree they are built in; a shared library would stay behind, and a
        // copied program would load whichever build of it the tree held last.
        if (SharedLibraryIn(baseline.Build.BuildDirectory) is { } library)
        {
            sink.Warning(DiagnosticCode.NoHotFileProfile,
                $"The project builds shared libraries ({Path.GetFileName(library)}), which hot-file candidates cannot be measured with apart: the whole project is tuned. Set AutoPassTuneScope=project to say you want that.");
            return null;
        }
        string root = Path.GetFullPath(request.SourceDir);
        string buildRoot = Path.GetFullPath(baseline.Build.BuildDirectory);
        // Tuning a subset only pays when there is a rest: a project of one source file is tuned whole, with link-time
        // flags (-flto) that hot-file candidates cannot have, and without a profile that would only name that file.
        int projectFiles = CompileCommands.Read(baseline.Build.BuildDirectory)
            .Select(e => e.File).Where(f => IsUnder(f, root) && !IsUnder(f, buildRoot)).Distinct(StringComparer.Ordinal).Count();
        if (projectFiles == 1)
        {
            sink.Info("hot files: the project compiles one source file, so the whole project is tuned (link-time flags included)");
            return null;
        }
        // A benchmark whose program is one source file spends all its own instructions there, so that file is hot for it;
        // when every source file is such a program (a suite of one-file benchmarks, as in the sample), a profile under
        // callgrind (about 50x a run) could only say every file is hot.
        var targetSources = CodeModelSources.Read(baseline.Build.BuildDirectory);
        var benchmarkFiles = request.Benchmarks.Select(b => b.Target).Distinct()
            .Select(t => targetSources.GetValueOrDefault(t)?.Where(f => IsUnder(f, root) && !IsUnder(f, buildRoot)).Distinct().ToList()).ToList();
        if (benchmarkFiles.All(files => files is [_]) && benchmarkFiles.Select(files => files![0]).Distinct().Count() == projectFiles)
        {
            sink.Info("hot files: each benchmark's program is one source file of its own, so every file is hot and the whole project is tuned (link-time flags included)");
            return null;
        }
        var clock = Stopwatch.StartNew();
        var runs = request.Benchmarks
            .Where(b => baseline.ReferenceSeconds.GetValueOrDefault(b.DisplayName) * 60 < ProfileLimit.TotalSeconds)
            .Select(b => new HotFileProfile.ProfiledRun(baseline.Build.Executables[b.Target], b.Arguments, request.SourceDir)).ToList();
        IReadOnlyList<HotFile> files;
        try
        {
            files = runs.Count == 0 ? [] : await HotFileProfile.ProfileAsync(baseline.Build.BuildDirectory, runs, ProfileLimit, ct);
        }
        catch (InvalidOperationException e)
        {
            sink.Warning(DiagnosticCode.NoHotFileProfile,
                $"No profile of the baseline could be taken ({e.Message}): the whole project is tuned. Set AutoPassTuneScope=project to say you want that.");
            return null;
        }
        // Only the project's own files can get flags of their own (not generated files in the build tree).
        files = files.Where(f => IsUnder(f.File, root) && !IsUnder(f.File, buildRoot)).ToList();
        if (files.Count == 0)
        {
            sink.Warning(DiagnosticCode.NoHotFileProfile,
                runs.Count == 0
                    ? $"Every benchmark runs too long to profile under callgrind (over {ProfileLimit.TotalMinutes / 60:0.#} s at the baseline): the whole project is tuned. Set AutoPassTuneScope=project to say you want that."
                    : "The baseline's profile maps no instructions to the project's source files (through compile_commands.json and the object files' symbols): the whole project is tuned. Set AutoPassTuneScope=project to say you want that.");
            return null;
        }
        var hot = HotFileProfile.Select(files, request.HotShare);
        // Nothing cold to keep: per-file flags would only cost the link-time flags (such as -flto across the hot files).
        if (hot.Count == files.Count)
        {
            sink.Info($"hot files: every file the benchmarks ran code in is hot ({string.Join(", ", hot.Select(f => $"{Relative(root, f.File)} {f.Share * 100:0.#}%"))}), " +
                "so the whole project is tuned (link-time flags included)");
            return null;
        }
        var set = new HotFileSet(hot, hot.Sum(f => f.Share));
        sink.Info($"hot files: {hot.Count} of {files.Count} profiled files hold {set.Share * 100:0.#}% of the project's instructions " +
            $"({Listing(set.SourceFiles(root))}); " +
            $"candidates change only these, the rest keep {string.Join(' ', request.BaselineFlags)} (profiled in {clock.Elapsed.TotalSeconds:0} s)");
        return set;
    }

    /// <summary>
    /// A resumed session's hot files: those its interrupted run profiled and built its kept trials with (null: it tuned the
    /// whole project, and so does the rest of it).
    /// </summary>
    public static HotFileSet? Resumed(TuningRequest request, IReadOnlyList<Evidence.HotSourceFile>? files, IDiagnosticSink sink)
    {
        if (files is not { Count: > 0 }) return null;
        sink.Info($"hot files: {Listing(files)}, as the interrupted session profiled them; candidates change only these");
        var hot = files.Select(f => new HotFile(Path.GetFullPath(Path.Combine(request.SourceDir, f.Path)), f.Share)).ToList();
        return new HotFileSet(hot, hot.Sum(f => f.Share));
    }

    /// <summary>The hottest six files with their shares, as the hot-files line names them.</summary>
    private static string Listing(IReadOnlyList<Evidence.HotSourceFile> files) =>
        string.Join(", ", files.Take(6).Select(f => $"{f.Path} {f.Share * 100:0.#}%")) + (files.Count > 6 ? ", …" : "");

    /// <summary>
    /// The baseline with its programs copied to <paramref name="directory"/>: hot-file candidates are then built in the
    /// baseline's tree (only the hot files recompile), which overwrites the programs there.
    /// </summary>
    public static BaselineReference KeepBaselinePrograms(BaselineReference baseline, string directory)
    {
        var copies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (target, path) in baseline.Build.Executables)
        {
            string copy = Path.Combine(directory, "bin", target, Path.GetFileName(path));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(path, copy + ".tmp", overwrite: true);
            File.Move(copy + ".tmp", copy, overwrite: true);
            copies[target] = copy;
        }
        return baseline with { Build = baseline.Build with { Executables = copies } };
    }

    private static string? SharedLibraryIn(string buildDirectory) =>
        Directory.EnumerateFiles(buildDirectory, "*", SearchOption.AllDirectories)
            .FirstOrDefault(f => (f.EndsWith(".so", StringComparison.Ordinal) || f.Contains(".so.", StringComparison.Ordinal) || f.EndsWith(".dylib", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}CMakeFiles{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    internal static string Relative(string sourceDir, string file) => Path.GetRelativePath(Path.GetFullPath(sourceDir), file).Replace('\\', '/');

    private static bool IsUnder(string path, string directory) =>
        path.StartsWith(directory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
