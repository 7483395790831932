using System.Text.Json;
using AutoPass.Core.Build;
using AutoPass.Core.Compilers.Profiling;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Pinning.Staleness;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Session;

/// <summary>
/// Hot-file tuning (AutoPassTuneScope=hot) on tests/fixtures/cprojects/hotfiles, built and run for real (gcc, CMake,
/// Ninja, valgrind): kernel.c holds nearly all of the run time, main.c and report.c run once. The profile picks
/// kernel.c alone, candidates recompile only it, and a per-file pinned build gives the flags to kernel.c only.
/// </summary>
[Trait("Category", "Real")]
public sealed class HotFileTuningTests : IDisposable
{
    private const string Flag = "-funroll-loops";
    private readonly UnrulyProject _project = new("hotfiles");

    public void Dispose() => _project.Dispose();

    private TuningRequest Request() => _project.Request(new BenchmarkSpec("hotfiles", ["300000"])) with
    {
        MaxTrials = 3,
        RaceSize = 3,
        // Three trials end the search; the minutes only bound it.
        MaxMinutes = 3,
        Search = SearchMode.Random,
        Agents = AgentMode.Builtin,
        NoNoiseWarnings = true,
    };

    /// <summary>The compile command of each source file of a build tree, by file name.</summary>
    private static Dictionary<string, string> CompileCommands(string buildDir)
    {
        using var commands = JsonDocument.Parse(File.ReadAllText(Path.Combine(buildDir, "compile_commands.json")));
        return commands.RootElement.EnumerateArray().ToDictionary(
            e => Path.GetFileName(e.GetProperty("file").GetString()!),
            e => e.GetProperty("command").GetString()!);
    }

    /// <summary>
    /// When each object file of a tree was last written, by file name. Not Ninja's log: CMake's configure (run before
    /// every candidate's build) recompacts it to one line an output, so it cannot count builds across candidates.
    /// </summary>
    internal static Dictionary<string, DateTime> ObjectTimes(string buildDir) =>
        Directory.GetFiles(buildDir, "*.o", SearchOption.AllDirectories).ToDictionary(f => Path.GetFileName(f), File.GetLastWriteTimeUtc);

    [Fact]
    public async Task A_session_profiles_the_baseline_tunes_only_the_hot_file_and_recompiles_only_it_per_candidate()
    {
        Assert.True(HotFileProfile.Available && Processes.ExternalTool.FindOnPath("ninja") is not null, "hot-file tuning needs valgrind, nm and ninja on PATH");
        var request = Request();
        var sink = new RecordingDiagnosticSink();

        var result = await new TuningSession(request, sink).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

        // The profile named kernel.c as the one hot file of the three.
        var hotLine = Assert.Single(sink.Entries, e => e.Message.StartsWith("hot files:", StringComparison.Ordinal)).Message;
        Assert.StartsWith("hot files: 1 of ", hotLine);
        Assert.Contains("kernel.c", hotLine);
        Assert.DoesNotContain("main.c", hotLine);
        Assert.Equal(["kernel.c"], result.Findings.HotFiles!.Select(f => f.Path));
        Assert.DoesNotContain(DiagnosticCode.NoHotFileProfile, sink.WarningCodes);

        // Candidates were built one after another in the baseline's own Ninja tree: the cold files only by the baseline
        // build, the hot file by the candidates' builds, which come after the profile, the compiler probe and the
        // calibration (seconds later); had a candidate rebuilt everything, all three would be written within its build.
        // The baseline is measured as a copy of its program.
        string hotTree = Path.Combine(request.IntermediateDir, "builds", "baseline");
        var written = ObjectTimes(hotTree);
        foreach (var cold in new[] { "main.c.o", "report.c.o" })
            Assert.True(written["kernel.c.o"] - written[cold] > TimeSpan.FromSeconds(1),
                $"{cold} was written at {written[cold]:HH:mm:ss.fff}, kernel.c.o at {written["kernel.c.o"]:HH:mm:ss.fff}: not rebuilt by a candidate alone");
        Assert.True(File.Exists(Path.Combine(request.IntermediateDir, "builds", "baseline-programs", "bin", "hotfiles", "hotfiles")));
        // A candidate's flags only ever reached kernel.c: the cold files' commands hold the baseline flags alone.
        var candidateFlags = result.Trials.SelectMany(t => t.Flags).Distinct().ToList();
        Assert.NotEmpty(candidateFlags);
        var hot = CompileCommands(hotTree);
        foreach (var cold in new[] { "main.c", "report.c" })
            Assert.DoesNotContain(hot[cold].Split(' '), word => candidateFlags.Contains(word));
        var built = result.Trials.Where(t => t.BuildStatus == Core.Evidence.BuildStatus.Ok).ToList();
        Assert.NotEmpty(built);
        // What was measured is what the build produced: copies kept per flag set, outside the tree the next build changes.
        Assert.True(Directory.GetFiles(Path.Combine(request.IntermediateDir, "builds", "hot-programs"), "hotfiles", SearchOption.AllDirectories).Length >= 2);

        // What was pinned follows the scope: flags for kernel.c alone (with its hash), or the baseline with no files.
        var pinned = LockFile.Parse(File.ReadAllText(Path.Combine(request.OutputDir, PinnedFiles.LockName)));
        if (pinned.Outcome == "improved")
        {
            var file = Assert.Single(pinned.Files!);
            // Two lists parsed apart: compared by content (a tuple of them compares the lists by reference).
            Assert.Equal("kernel.c", file.Path);
            Assert.Equal(pinned.Flags, file.Flags);
            Assert.Equal(LockSourceFile.HashOf(Path.Combine(request.SourceDir, "kernel.c")), file.Sha256);
            Assert.Equal("hot", pinned.Scope);
        }
        else
        {
            Assert.Null(pinned.Files);
        }
        Assert.Empty(PinnedSetConsistency.Check(request.OutputDir, pinned));
    }

    [Fact]
    public async Task Hot_file_candidates_are_built_a_group_at_a_time_in_trees_of_their_own_and_the_session_replays_alike()
    {
        Assert.True(Environment.ProcessorCount >= 2, "building candidates at once needs two cores");
        // Two slots asked for: left to the session, a one-file kernel's build might not pay for a second tree.
        var request = Request() with { MaxTrials = 5, Search = SearchMode.Bandit, BuildSlots = 2 };

        var result = await new TuningSession(request, new RecordingDiagnosticSink()).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(6));

        // The ledger says how many were built at once, so a replay or a resume proposes in the same groups.
        var session = Core.Evidence.Ledger.LastSession(result.LedgerPath);
        int slots = Assert.Single(session.OfType<Core.Evidence.HotFilesLine>()).BuildSlots;
        Assert.Equal(2, slots);
        // The second slot's tree was configured and built whole once, then recompiled the hot file for candidates of its
        // own: its response file holds the flags of one of them (a flag a line).
        var screened = result.Trials.Where(t => t.Phase == Core.Evidence.TrialPhase.Screen && t.BuildSeconds is not null).ToList();
        Assert.True(screened.Count >= 2, $"{screened.Count} candidates were built");
        var second = File.ReadAllLines(Path.Combine(request.IntermediateDir, "builds", "hot-2", "autopass-hot-flags", "file-1.rsp"));
        Assert.Contains(screened, t => t.Flags.SequenceEqual(second));

        var compiler = await Core.Compilers.CompilerProbe.IdentifyAsync(session.OfType<Core.Evidence.CompilerLine>().Last().Path, CancellationToken.None);
        var catalog = await Core.Compilers.CompilerProbe.CatalogAsync(compiler, request.BaselineFlags, CancellationToken.None);
        var replayed = await DecisionReplay.RunAsync(request, catalog, result.LedgerPath, new RecordingDiagnosticSink(), CancellationToken.None);
        int decisions = result.Trials.Count(t => t.Phase == Core.Evidence.TrialPhase.Screen);
        Assert.Null(replayed.FirstDivergence);
        Assert.Equal((decisions, decisions), (replayed.Decisions, replayed.Matched));
    }

    private static LockFile PinnedForKernel(string sourceDir) => new()
    {
        Tool = new LockTool("AutoPass", "0.1.0"),
        Compiler = new LockCompiler("gcc", "12.2.0", "[12.0.0, 13.0.0)"),
        Machine = new LockMachine("cpu", 2, "linux", "x64"),
        Baseline = new LockBaseline(["-O2"]),
        Flags = [Flag, "-fno-tree-pre"],
        Scope = "hot",
        Files = [new LockSourceFile("kernel.c", [Flag, "-fno-tree-pre"], LockSourceFile.HashOf(Path.Combine(sourceDir, "kernel.c")), 0.99,
            LockSourceFile.CodeHashOf(Path.Combine(sourceDir, "kernel.c")))],
        Outcome = "improved",
        Reason = "because",
        Policy = new LockPolicy(false, false),
        Speedup = new LockSpeedup(1.07, 1.04, 1.1, 0.95, 40),
        Benchmarks = [],
        Trials = 3,
    };

    [Fact]
    public async Task A_per_file_pinned_build_shows_the_flags_on_the_hot_file_only_and_none_when_disabled()
    {
        string source = _project.SourceDir;
        string pinnedDir = Path.Combine(source, "autopass");
        PinnedFiles.Write(pinnedDir, PinnedForKernel(source), sourceDir: source);
        string script = Path.Combine(pinnedDir, PinnedFiles.CMakeName);
        string buildDir = Path.Combine(_project.Directory, "build");

        // As `autopass build` builds: the pinned autopass.cmake as the project include, every target.
        var built = await new CMakeBuilder(new CMakeSettings(source)).ConfigureAndBuildAsync(buildDir, script, [], CancellationToken.None);

        Assert.True(built.Succeeded, built.Failure?.Message + "\n" + built.Log);
        var commands = CompileCommands(buildDir);
        Assert.Contains($" -O2 {Flag} -fno-tree-pre ", commands["kernel.c"]);
        Assert.All(new[] { "main.c", "report.c" }, cold =>
        {
            Assert.Contains(" -O2 ", commands[cold]);
            Assert.DoesNotContain(Flag, commands[cold]);
            Assert.DoesNotContain("-fno-tree-pre", commands[cold]);
        });
        // The set is consistent as written; the props file names kernel.c from where it is, with the flags after the project's.
        Assert.Empty(PinnedSetConsistency.Check(pinnedDir, LockFile.Parse(File.ReadAllText(Path.Combine(pinnedDir, PinnedFiles.LockName)))));
        string props = File.ReadAllText(Path.Combine(pinnedDir, PinnedFiles.PropsName));
        Assert.Contains("<ClCompile Update=\"$(MSBuildThisFileDirectory)..\\kernel.c\">", props);
        Assert.Contains($"<AdditionalOptions Condition=\"'$(_AutoPassFlagForm)' == 'gcc'\">%(AdditionalOptions) {Flag} -fno-tree-pre</AdditionalOptions>", props);

        // AUTOPASS_DISABLE=ON: no flags anywhere, the per-file ones included.
        var disabled = await new CMakeBuilder(new CMakeSettings(source) { FlagsDisabled = true }).ConfigureAndBuildAsync(buildDir, script, [], CancellationToken.None);
        Assert.True(disabled.Succeeded, disabled.Log);
        Assert.DoesNotContain(Flag, CompileCommands(buildDir)["kernel.c"]);
    }

    [Fact]
    public void Verify_fails_on_a_pinned_file_that_vanished_or_moved_and_warns_on_one_whose_code_changed()
    {
        string source = _project.SourceDir;
        var pinned = PinnedForKernel(source);
        Assert.Empty(PinnedSourceFiles.Check(source, pinned));

        // Comments and layout alone are no change of code: the flags hold as they were.
        string kernel = Path.Combine(source, "kernel.c");
        File.WriteAllText(kernel, "/* reformatted */\n" + File.ReadAllText(kernel).Replace("    ", "\t").Replace("acc = 0;", "acc = 0;   // start\n"));
        Assert.NotEqual(pinned.Files![0].Sha256, LockSourceFile.HashOf(kernel));
        Assert.Empty(PinnedSourceFiles.Check(source, pinned));

        File.WriteAllText(kernel, File.ReadAllText(kernel).Replace("round < 60", "round < 61"));
        var changed = Assert.Single(PinnedSourceFiles.Check(source, pinned));
        Assert.Equal((DiagnosticCode.PinnedFileChanged, true), (changed.Code, changed.Warning));
        Assert.Contains("kernel.c changed", changed.Message);

        pinned = PinnedForKernel(source); // tuned on the edited file
        Directory.CreateDirectory(Path.Combine(source, "kernels"));
        File.Move(Path.Combine(source, "kernel.c"), Path.Combine(source, "kernels", "kernel.c"));
        var moved = Assert.Single(PinnedSourceFiles.Check(source, pinned));
        Assert.Equal((DiagnosticCode.PinnedFileMissing, false), (moved.Code, moved.Warning));
        Assert.Contains("moved to kernels/kernel.c", moved.Message);

        File.Delete(Path.Combine(source, "kernels", "kernel.c"));
        var vanished = Assert.Single(PinnedSourceFiles.Check(source, pinned));
        Assert.Equal(DiagnosticCode.PinnedFileMissing, vanished.Code);
        Assert.Contains("no longer in", vanished.Message);
    }

    [Fact]
    public async Task A_hot_file_session_screens_link_time_optimization_as_one_whole_project_move_records_its_files_and_replays_the_same()
    {
        // The built-in search: its opening screens the level and -flto=auto in its first race.
        var request = Request() with { Search = SearchMode.Bandit, MaxTrials = 5, RaceSize = 5 };

        var result = await new TuningSession(request, new RecordingDiagnosticSink()).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

        var screened = result.Trials.Where(t => t.Phase == Core.Evidence.TrialPhase.Screen).ToList();
        Assert.Contains(screened, t => t.Flags is ["-flto=auto"] && t.BuildStatus != Core.Evidence.BuildStatus.Rejected);
        Assert.Contains(screened, t => t.Flags is ["-O2"]);
        // Random groups and mutations do not draw LTO: the catalog leaves it out, so it costs one whole-project build.
        Assert.DoesNotContain(screened, t => t.Origin is "group" or "mutate" && t.Flags.Any(f => f.StartsWith("-flto", StringComparison.Ordinal)));
        var session = Core.Evidence.Ledger.LastSession(result.LedgerPath);
        Assert.Equal(["kernel.c"], Assert.Single(session.OfType<Core.Evidence.HotFilesLine>()).Files.Select(f => f.Path));

        // Replay reads the hot files from the ledger and searches the same catalog, so it proposes what the session did.
        var compiler = await Core.Compilers.CompilerProbe.IdentifyAsync(session.OfType<Core.Evidence.CompilerLine>().Last().Path, CancellationToken.None);
        var catalog = await Core.Compilers.CompilerProbe.CatalogAsync(compiler, request.BaselineFlags, CancellationToken.None);
        var outcome = await DecisionReplay.RunAsync(request, catalog, result.LedgerPath, new RecordingDiagnosticSink(), CancellationToken.None);
        Assert.Null(outcome.FirstDivergence);
        Assert.Equal(outcome.Decisions, outcome.Matched);
    }

    /// <summary>Makes the ledger's last session look interrupted before it pinned (as a kill would leave it).</summary>
    private static void Unpin(string ledger) =>
        File.WriteAllLines(ledger, File.ReadAllLines(ledger).Where(l => !l.Contains("\"type\":\"pinned\"", StringComparison.Ordinal)));

    [Fact]
    public async Task A_resumed_session_keeps_the_hot_files_it_profiled_and_one_that_cannot_resume_profiles_under_its_own_header()
    {
        var request = Request() with { MaxTrials = 1, RaceSize = 1 };
        var first = await new TuningSession(request, new RecordingDiagnosticSink()).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));
        Unpin(first.LedgerPath);

        // Resumed: the trials were built with kernel.c alone, so the rest of the session is too, without a second profile.
        var sink = new RecordingDiagnosticSink();
        var resumed = await new TuningSession(request with { MaxTrials = 2 }, sink).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Contains(sink.Entries, e => e.Message.StartsWith("resuming the interrupted session", StringComparison.Ordinal));
        var hotLine = Assert.Single(sink.Entries, e => e.Message.StartsWith("hot files:", StringComparison.Ordinal)).Message;
        Assert.Equal("hot files: kernel.c 100%, as the interrupted session profiled them; candidates change only these", hotLine);
        Assert.Equal(["kernel.c"], resumed.Findings.HotFiles!.Select(f => f.Path));
        Assert.Single(Core.Evidence.Ledger.LastSession(resumed.LedgerPath).OfType<Core.Evidence.HotFilesLine>());

        // Not resumable (the baseline's binaries changed): a new header first, then this session's compiler and profile under it.
        Unpin(resumed.LedgerPath);
        string kernel = Path.Combine(request.SourceDir, "kernel.c");
        File.WriteAllText(kernel, File.ReadAllText(kernel).Replace("round < 60", "round < 61"));
        sink = new RecordingDiagnosticSink();
        var fresh = await new TuningSession(request, sink).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Contains(sink.Entries, e => e.Message.StartsWith("hot files: 1 of ", StringComparison.Ordinal));
        var session = Core.Evidence.Ledger.LastSession(fresh.LedgerPath);
        Assert.Equal("baseline binaries changed; not resuming", session.OfType<Core.Evidence.SessionLine>().Single().Note);
        Assert.Single(session.OfType<Core.Evidence.CompilerLine>());
        Assert.Equal(["kernel.c"], Assert.Single(session.OfType<Core.Evidence.HotFilesLine>()).Files.Select(f => f.Path));
    }

    [Fact]
    public async Task Link_time_optimization_in_a_hot_file_candidate_goes_to_the_whole_project_in_a_tree_of_its_own()
    {
        var request = Request();
        var builder = new CMakeBuilder(new CMakeSettings(request.SourceDir, Generator: "Ninja"));
        var runner = new Core.Measurement.ProgramRunner(pinToCore: true);
        var baseline = await new BaselineSetup(request, builder, runner, new RecordingDiagnosticSink()).PrepareAsync(CancellationToken.None);
        var compiler = await Core.Compilers.CompilerProbe.IdentifyAsync(baseline.Build.CCompilerPath!);
        var evaluator = new TrialEvaluator(request, builder, baseline, new Core.Policy.FlagPolicy(new Core.Policy.PolicyOptions(), null), compiler, runner,
            new Core.Statistics.StatisticsOptions(MaxPairs: 6, Resamples: 200), hotFiles: ["kernel.c"]);

        var trial = await evaluator.EvaluateAsync(1, new Core.Search.Candidate(["-funroll-loops", "-flto=auto"], "test"), Core.Evidence.TrialPhase.Screen, 1, CancellationToken.None);

        Assert.Equal(Core.Evidence.BuildStatus.Ok, trial.BuildStatus);
        // Every file is compiled for LTO, the hot file alone with the rest of the candidate, in the LTO tree.
        var lto = CompileCommands(Path.Combine(request.IntermediateDir, "builds", "hot-lto"));
        Assert.All(lto.Values, command => Assert.Contains(command.Split(' '), word => word.StartsWith("-flto", StringComparison.Ordinal)));
        Assert.Contains("-funroll-loops", WithResponseFiles(lto["kernel.c"]));
        Assert.DoesNotContain("-funroll-loops", WithResponseFiles(lto["main.c"]));
        // The baseline's tree, where the other candidates recompile only the hot file, never saw LTO.
        var hotTree = CompileCommands(Path.Combine(request.IntermediateDir, "builds", "baseline"));
        Assert.All(hotTree.Values, command => Assert.DoesNotContain(command.Split(' '), word => word.StartsWith("-flto", StringComparison.Ordinal)));
    }

    /// <summary>A compile command's words, each @file (a hot file's flags in a candidate tree) replaced by the words it holds.</summary>
    private static IEnumerable<string> WithResponseFiles(string command) =>
        command.Split(' ').SelectMany(word => word.StartsWith('@') ? File.ReadAllText(word[1..]).Split('\n', StringSplitOptions.RemoveEmptyEntries) : [word]);

    [Fact]
    public void A_pinned_hot_file_winner_with_link_time_optimization_gives_it_to_the_whole_project_and_the_rest_to_the_files()
    {
        var pinned = PinnedForKernel(_project.SourceDir) with { Flags = ["-funroll-loops", "-flto=auto"] };
        Assert.Equal(["-O2", "-flto=auto"], pinned.ProjectFlags);
    }

    [Fact]
    public async Task A_hot_file_whose_path_autopass_cmake_cannot_carry_keeps_the_baseline_flags_and_the_session_goes_on()
    {
        // kernel.c renamed ker$nel.c: a '$' in a quoted CMake argument would be a variable reference in the pinned file.
        string source = _project.SourceDir;
        File.Move(Path.Combine(source, "kernel.c"), Path.Combine(source, "ker$nel.c"));
        File.WriteAllText(Path.Combine(source, "CMakeLists.txt"), File.ReadAllText(Path.Combine(source, "CMakeLists.txt")).Replace("kernel.c", "ker$nel.c"));
        var sink = new RecordingDiagnosticSink();

        var result = await new TuningSession(Request() with { MaxTrials = 1, RaceSize = 1 }, sink).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

        // It says why ker$nel.c keeps the baseline flags; the cold files left are all the profile has, so the project is tuned whole.
        Assert.Contains(sink.Entries, e => e.Message.StartsWith("hot files: ker$nel.c keep the baseline flags", StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Entries, e => e.Code == DiagnosticCode.UnexpectedFailure);
        Assert.Null(result.Findings.HotFiles);
        Assert.True(File.Exists(Path.Combine(_project.Directory, "pinned", PinnedFiles.LockName)));
    }

    [Theory]
    [InlineData("int a;  // note\n\tint b; /* x\n y */ int c;", "int a; int b; int c;")]
    [InlineData("s = \"// not a comment\"; c = '/'; /**/ d", "s = \"// not a comment\"; c = '/'; d")]
    [InlineData("a+b", "a+b")]
    public void The_code_of_a_file_is_its_text_without_comments_and_with_whitespace_runs_as_one_space(string source, string code) =>
        Assert.Equal(code, LockSourceFile.CodeOf(source));

    [Fact]
    public void The_hot_files_are_the_hottest_that_together_hold_the_share()
    {
        HotFile[] files = [new("a.c", 0.6), new("b.c", 0.25), new("c.c", 0.1), new("d.c", 0.05)];

        Assert.Equal(["a.c", "b.c", "c.c"], HotFileProfile.Select(files, 0.9).Select(f => f.File));
        Assert.Equal(["a.c", "b.c"], HotFileProfile.Select(files, 0.85).Select(f => f.File));
        Assert.Equal(["a.c"], HotFileProfile.Select(files, 0.5).Select(f => f.File));
        Assert.Equal(files.Select(f => f.File), HotFileProfile.Select(files, 1).Select(f => f.File));
    }

    [Fact]
    public async Task A_project_of_one_source_file_is_tuned_whole_without_a_profile_or_a_warning()
    {
        // The same program as one translation unit (a unity build): there is no rest to keep at the baseline.
        File.WriteAllText(Path.Combine(_project.SourceDir, "all.c"), "#include \"main.c\"\n#include \"kernel.c\"\n#include \"report.c\"\n");
        File.WriteAllText(Path.Combine(_project.SourceDir, "CMakeLists.txt"),
            "cmake_minimum_required(VERSION 3.16)\nproject(hotfiles C)\nadd_executable(hotfiles all.c)\n");
        var request = Request() with { MaxTrials = 1, RaceSize = 1 };
        var sink = new RecordingDiagnosticSink();

        var result = await new TuningSession(request, sink).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));

        var hotLine = Assert.Single(sink.Entries, e => e.Message.StartsWith("hot files:", StringComparison.Ordinal)).Message;
        Assert.Contains("compiles one source file, so the whole project is tuned", hotLine);
        Assert.DoesNotContain(DiagnosticCode.NoHotFileProfile, sink.WarningCodes);
        Assert.Null(result.Findings.HotFiles);
        Assert.False(Directory.Exists(Path.Combine(request.IntermediateDir, "builds", "baseline-programs")));
        Assert.Null(LockFile.Parse(File.ReadAllText(Path.Combine(request.OutputDir, PinnedFiles.LockName))).Files);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_suite_of_one_file_programs_is_tuned_whole_without_a_profile(bool sharedFile)
    {
        // Two benchmarks, each a program of one file (as the sample's kernels); or with a file both link, which a profile must weigh.
        File.WriteAllText(Path.Combine(_project.SourceDir, "alpha.c"), "int twice(int);\nint main(void) { volatile int x = 0; for (int i = 0; i < 100000; i++) x += i; return 0; }\n");
        File.WriteAllText(Path.Combine(_project.SourceDir, "beta.c"), "int main(void) { volatile int x = 0; for (int i = 0; i < 200000; i++) x ^= i; return 0; }\n");
        File.WriteAllText(Path.Combine(_project.SourceDir, "twice.c"), "int twice(int x) { return 2 * x; }\n");
        File.WriteAllText(Path.Combine(_project.SourceDir, "CMakeLists.txt"), "cmake_minimum_required(VERSION 3.16)\nproject(suite C)\n"
            + (sharedFile ? "add_executable(alpha alpha.c twice.c)\nadd_executable(beta beta.c twice.c)\n" : "add_executable(alpha alpha.c)\nadd_executable(beta beta.c)\n"));
        var request = _project.Request(new BenchmarkSpec("alpha", []), new BenchmarkSpec("beta", [])) with { NoNoiseWarnings = true };
        var builder = new CMakeBuilder(new CMakeSettings(request.SourceDir, Generator: "Ninja"));
        var baseline = await new BaselineSetup(request, builder, new Core.Measurement.ProgramRunner(pinToCore: true), new RecordingDiagnosticSink()).PrepareAsync(CancellationToken.None);
        var sink = new RecordingDiagnosticSink();

        var hot = await HotFileSelection.SelectAsync(request, baseline, sink, CancellationToken.None);

        var hotLine = Assert.Single(sink.Entries, e => e.Message.StartsWith("hot files:", StringComparison.Ordinal)).Message;
        Assert.Null(hot);
        Assert.Equal(sharedFile
            // Profiled: twice.c, never called, ran no code, so every file that did is hot.
            ? "hot files: every file the benchmarks ran code in is hot (alpha.c 50%, beta.c 50%), so the whole project is tuned (link-time flags included)"
            : "hot files: each benchmark's program is one source file of its own, so every file is hot and the whole project is tuned (link-time flags included)", hotLine);
        Assert.Empty(sink.WarningCodes);
    }

    [Fact]
    public async Task When_every_profiled_file_is_hot_the_whole_project_is_tuned()
    {
        var request = Request();
        var builder = new CMakeBuilder(new CMakeSettings(request.SourceDir, Generator: "Ninja"));
        var baseline = await new BaselineSetup(request, builder, new Core.Measurement.ProgramRunner(pinToCore: true), new RecordingDiagnosticSink()).PrepareAsync(CancellationToken.None);

        var sink = new RecordingDiagnosticSink();
        var someHot = await HotFileSelection.SelectAsync(request, baseline, sink, CancellationToken.None);
        var allHot = await HotFileSelection.SelectAsync(request with { HotShare = 1.0 }, baseline, sink, CancellationToken.None);

        Assert.Equal(["kernel.c"], someHot!.Files.Select(f => Path.GetFileName(f.File)));
        Assert.Null(allHot);
        Assert.Contains(sink.Entries, e => e.Message.StartsWith("hot files: every file the benchmarks ran code in is hot (kernel.c", StringComparison.Ordinal)
            && e.Message.Contains("main.c") && e.Message.EndsWith("so the whole project is tuned (link-time flags included)", StringComparison.Ordinal));
        Assert.Empty(sink.WarningCodes);
    }

    [Fact]
    public async Task Without_a_profiler_the_session_says_so_and_tunes_the_whole_project()
    {
        // As on a machine without valgrind.
        var request = Request() with { MaxTrials = 1, RaceSize = 1, NoProfiler = true };
        var sink = new RecordingDiagnosticSink();

        var result = await new TuningSession(request, sink).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));

        var warning = Assert.Single(sink.Entries, e => e.Code == DiagnosticCode.NoHotFileProfile);
        Assert.Contains("the whole project is tuned", warning.Message);
        Assert.Null(result.Findings.HotFiles);
        // Candidates were whole-project builds, each in its own tree; no programs were copied out of a shared tree.
        Assert.False(Directory.Exists(Path.Combine(request.IntermediateDir, "builds", "hot-programs")));
        Assert.False(Directory.Exists(Path.Combine(request.IntermediateDir, "builds", "baseline-programs")));
        Assert.Null(LockFile.Parse(File.ReadAllText(Path.Combine(request.OutputDir, PinnedFiles.LockName))).Files);
    }
}
