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
    /// <summary>
    /// How many candidates are built at once, each in a hot tree of its own: a hot-file build recompiles a few files, which
    /// may leave cores idle that a second candidate's compile can use. Chosen by <see cref="HotFileCost.Choose"/>: each
    /// tree beyond the baseline's costs one build of the whole project.
    /// </summary>
    public int BuildSlots { get; init; } = 1;

    /// <summary>The most build slots a new session may use: AutoPassBuildSlots, or one per core of this machine, at most four.</summary>
    public static int SlotsFor(Workload.TuningRequest request) => request.BuildSlots > 0 ? request.BuildSlots : Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>The relative path of each hot file, as autopass.cmake and the lock file name it.</summary>
    public IReadOnlyList<string> RelativePaths(string sourceDir) => Files.Select(f => HotFileSelection.Relative(sourceDir, f.File)).ToList();

    /// <summary>Each hot file by relative path with its share, as the ledger and the findings keep them.</summary>
    public IReadOnlyList<Evidence.HotSourceFile> SourceFiles(string sourceDir) =>
        Files.Select(f => new Evidence.HotSourceFile(HotFileSelection.Relative(sourceDir, f.File), f.Share)).ToList();
}

/// <summary>
/// AutoPassTuneScope=hot: profiles the baseline's benchmarks under callgrind, maps the instructions to the project's
/// source files, and keeps the hottest files that hold AutoPassHotShare of them, less those whose compile costs each
/// candidate more than their share of the run time pays for (<see cref="HotFileCost"/>). Returns null (tune the whole project)
/// when the scope is project, or, with a warning (AP2011), when no profile can be taken or nothing in it maps to a file.
/// </summary>
internal static class HotFileSelection
{
    /// <summary>
    /// A benchmark under callgrind runs about 50x slower: each is profiled this long at most (its first half second or so
    /// at full speed), which is where a benchmark's hot loop is in all but the oddest programs.
    /// </summary>
    internal static readonly TimeSpan ProfileSample = TimeSpan.FromSeconds(20);

    /// <summary>How long a profiled run may go on after it was interrupted (writing its profile) before it is killed.</summary>
    private static readonly TimeSpan ProfileLimit = ProfileSample + TimeSpan.FromMinutes(1);

    /// <param name="searchTimeLeft">The session's time left for its search (null: no time limit), which the build slots are chosen for.</param>
    public static async Task<HotFileSet?> SelectAsync(TuningRequest request, BaselineReference baseline, IDiagnosticSink sink, CancellationToken ct,
        Func<TimeSpan?>? searchTimeLeft = null)
    {
        if (request.TuneScope != TuneScope.Hot) return null;
        if (request.NoProfiler || !HotFileProfile.Available)
        {
            sink.Warning(DiagnosticCode.NoHotFileProfile,
                "valgrind (or nm) is not installed, so no profile tells which source files are hot: the whole project is tuned, and every candidate is a full rebuild. " +
                "Install valgrind (apt-get install valgrind) for hot-file tuning, or set AutoPassTuneScope=project to say you want the whole project.");
            return null;
        }
        // Candidates' programs are copied out of the one tree they are built in; a shared library they load would stay
        // behind, and a copied program would load whichever build of it the tree held last.
        if (baseline.Build.Executables.Values.SelectMany(ExecutableFingerprint.ProjectLibraries)
                .FirstOrDefault(l => ProjectRoot.IsUnder(l, baseline.Build.BuildDirectory)) is { } library)
        {
            sink.Warning(DiagnosticCode.NoHotFileProfile,
                $"The benchmarks load a shared library the project builds ({Path.GetFileName(library)}), which hot-file candidates cannot be measured with apart: the whole project is tuned. " +
                "Build the library static for tuning (e.g. AutoPassCMakeArgs=-DBUILD_SHARED_LIBS=OFF), or set AutoPassTuneScope=project to say you want the whole project.");
            return null;
        }
        string buildRoot = Path.GetFullPath(baseline.Build.BuildDirectory);
        var targetSources = CodeModelSources.Read(baseline.Build.BuildDirectory);
        var commands = CompileCommands.Read(baseline.Build.BuildDirectory);
        var compiled = commands.Select(e => e.File).Distinct(StringComparer.Ordinal).ToList();
        // The project is where its targets' sources are, which may be beside a build/cmake or cmake/ CMakeLists.txt.
        string root = ProjectRoot.Find(request.SourceDir, buildRoot, compiled.Concat(targetSources.Values.SelectMany(f => f)));
        bool Own(string file) => ProjectRoot.IsUnder(file, root) && !ProjectRoot.IsUnder(file, buildRoot);
        // Tuning a subset only pays when there is a rest: a project of one source file is tuned whole, with link-time
        // flags (-flto) that hot-file candidates cannot have, and without a profile that would only name that file.
        int projectFiles = compiled.Count(Own);
        if (projectFiles == 1)
        {
            sink.Info("hot files: the project compiles one source file, so the whole project is tuned (link-time flags included)");
            return null;
        }
        // A benchmark whose program is one source file spends all its own instructions there, so that file is hot for it;
        // when every source file is such a program (a suite of one-file benchmarks, as in the sample), a profile under
        // callgrind (about 50x a run) could only say every file is hot.
        var benchmarkFiles = request.Benchmarks.Select(b => b.Target).Distinct()
            .Select(t => targetSources.GetValueOrDefault(t)?.Where(Own).Distinct().ToList()).ToList();
        if (benchmarkFiles.All(files => files is [_]) && benchmarkFiles.Select(files => files![0]).Distinct().Count() == projectFiles)
        {
            sink.Info("hot files: each benchmark's program is one source file of its own, so every file is hot and the whole project is tuned (link-time flags included)");
            return null;
        }
        var clock = Stopwatch.StartNew();
        var runs = request.Benchmarks
            .Select(b => new HotFileProfile.ProfiledRun(baseline.Build.Executables[b.Target], b.Arguments, request.SourceDir)).ToList();
        HotFileProfileResult profile;
        try
        {
            profile = await HotFileProfile.ProfileAsync(baseline.Build.BuildDirectory, runs, ProfileSample, ProfileLimit, ct);
        }
        catch (InvalidOperationException e)
        {
            sink.Warning(DiagnosticCode.NoHotFileProfile,
                $"No profile of the baseline could be taken ({e.Message}): the whole project is tuned. Set AutoPassTuneScope=project to say you want that.");
            return null;
        }
        // Only the project's own files can get flags of their own (not generated files in the build tree), and only
        // those whose path the pinned files can carry.
        var (files, unpinnable) = PinnablePaths.Partition(profile.Files.Where(f => Own(f.File)), f => Relative(request.SourceDir, f.File));
        if (unpinnable.Count > 0)
            sink.Info($"hot files: {string.Join(", ", unpinnable.Select(f => Relative(request.SourceDir, f.File)))} keep the baseline flags: a path with a quote, '$' or ';' cannot be written to autopass.cmake");
        if (files.Count == 0)
        {
            sink.Warning(DiagnosticCode.NoHotFileProfile,
                unpinnable.Count > 0
                    ? $"The hot files' paths ({string.Join(", ", unpinnable.Select(f => Relative(request.SourceDir, f.File)))}) hold a quote, '$' or ';', which autopass.cmake cannot carry: the whole project is tuned. Rename them, or set AutoPassTuneScope=project to say you want that."
                    : NothingMapped(profile, root, buildRoot));
            return null;
        }
        var hot = HotFileProfile.Select(files, request.HotShare);
        // Nothing cold to keep: per-file flags would only cost the link-time flags (such as -flto across the hot files).
        if (hot.Count == files.Count)
        {
            sink.Info($"hot files: every file the benchmarks ran code in is hot ({string.Join(", ", hot.Select(f => $"{Relative(request.SourceDir, f.File)} {f.Share * 100:0.#}%"))}), " +
                "so the whole project is tuned (link-time flags included)");
            return null;
        }
        var horizon = new HotFileCost.SearchHorizon(request.MaxTrials, searchTimeLeft?.Invoke()?.TotalSeconds);
        int maxSlots = HotFileSet.SlotsFor(request);
        bool userSlots = request.BuildSlots > 0;
        var chosen = HotFileCost.For(hot, baseline, commands, maxSlots, slotsFixed: userSlots, horizon);
        var leftOut = chosen.LeftOut;
        hot = chosen.Kept;
        var set = new HotFileSet(hot, hot.Sum(f => f.Share)) { BuildSlots = chosen.Slots };
        sink.Info($"hot files: {hot.Count} of {files.Count} profiled files hold {set.Share * 100:0.#}% of the project's instructions " +
            $"({Listing(set.SourceFiles(request.SourceDir))}); " +
            $"candidates change only these, the rest keep {string.Join(' ', request.BaselineFlags)} (profiled in {clock.Elapsed.TotalSeconds:0} s" +
            (profile.SampledRuns > 0 ? $"; {profile.SampledRuns} of {runs.Count} benchmarks profiled for their first {ProfileSample.TotalSeconds:0} s under callgrind only)" : ")") +
            (leftOut.Count == 0 ? "" :
                $"; left out for their compile time, which every candidate would pay for less than its share of the run time: " +
                string.Join(", ", leftOut.Select(l => $"{Relative(request.SourceDir, l.File.File)} ({l.File.Share * 100:0.#}%, {l.CompileSeconds:0.0} s to compile)"))) +
            SlotsClause(chosen, maxSlots, userSlots));
        return set;
    }

    /// <summary>How many candidates are built at once, and why not more when the machine has the cores.</summary>
    private static string SlotsClause(HotFileCost.Pruned chosen, int maxSlots, bool userSet)
    {
        string built = chosen.Slots == 1 ? "one built at a time" : $"{chosen.Slots} built at once, each in a tree of its own";
        if (userSet) return $"; {built} (AutoPassBuildSlots)";
        if (chosen.CandidateSeconds <= 0 || chosen.Slots == maxSlots) return $"; {built}";
        return $"; {built} (about {chosen.CandidateSeconds:0.0} s a candidate to build and time): another build tree, one build of the whole project, " +
            "would cost more than building at once saves in this budget";
    }

    /// <summary>
    /// A resumed session's hot files: those its interrupted run profiled and built its kept trials with (null: it tuned the
    /// whole project, and so does the rest of it).
    /// </summary>
    public static HotFileSet? Resumed(TuningRequest request, IReadOnlyList<Evidence.HotSourceFile>? files, IDiagnosticSink sink)
    {
        files = files?.Where(f => PinnablePaths.CanPin(f.Path)).ToList();
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

    /// <summary>
    /// AP2011's account of a profile that mapped nothing to the project: where it looked, how much of the profile matched a
    /// symbol of the build's object files, and what the user can set.
    /// </summary>
    private static string NothingMapped(HotFileProfileResult profile, string root, string buildRoot) =>
        $"The baseline's profile maps no instructions to the project's source files: the whole project is tuned. " +
        $"Looked for files under {root} (the project root: the CMake source directory and its targets' sources, not above the repository root), not under the build tree {buildRoot}; " +
        $"{profile.MatchedFunctions} of {profile.Functions} profiled functions matched a symbol of the {profile.ObjectFiles} object files compile_commands.json names" +
        (profile.ObjectFiles == 0 ? " (none was found: the project may not export compile commands, or builds through another generator)" :
         profile.MatchedFunctions == 0 ? " (the benchmarks run no code of the project's objects: a prebuilt or system library, or a shared library the profile cannot see)" : "") +
        ". Set AutoPassTuneScope=project to say you want the whole project, or AutoPassCMakeSourceDir to the CMake project the benchmarks' code is built by.";

    internal static string Relative(string sourceDir, string file) => Path.GetRelativePath(Path.GetFullPath(sourceDir), file).Replace('\\', '/');
}
