using AutoPass.Core.Build;
using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Measurement;
using AutoPass.Core.Policy;
using AutoPass.Core.Processes;
using AutoPass.Core.Search;
using AutoPass.Core.Session;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Search;

/// <summary>
/// A flag that crashes the compiler on the project's code (an internal compiler error) but not on the probe's tiny
/// source: once a build shows the crash, later candidates containing it are rejected without a build. The compiler is
/// the real gcc, run with <c>-wrapper</c> so that its cc1 dies of SIGSEGV when it compiles sleeper.c with
/// -funroll-all-loops: gcc itself reports the internal compiler error.
/// </summary>
[Trait("Category", "Real")]
public sealed class CrashingCompilerTests : IDisposable
{
    private const string CrashingFlag = "-funroll-all-loops";

    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<string> CrashingGccAsync()
    {
        string gcc = ExternalTool.FindOnPath("gcc") ?? throw new InvalidOperationException("gcc is not on PATH");
        string cc1Wrapper = Path.Combine(_dir, "cc1-crashing");
        await File.WriteAllTextAsync(cc1Wrapper, $$"""
            #!/bin/sh
            case "$1" in
              */cc1) case " $* " in *" {{CrashingFlag}} "*) case "$*" in *sleeper.c*) kill -SEGV $$ ;; esac ;; esac ;;
            esac
            exec "$@"

            """);
        string driver = Path.Combine(_dir, "gcc-crashing");
        await File.WriteAllTextAsync(driver, $"#!/bin/sh\nexec '{gcc}' -wrapper '{cc1Wrapper}' \"$@\"\n");
        foreach (var script in new[] { cc1Wrapper, driver })
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Another test's process start can briefly hold a new file open for writing (ETXTBSY): wait until it runs.
        for (int attempt = 0; attempt < 50 && !(await ExternalTool.RunAsync(driver, ["--version"])).Succeeded; attempt++)
            await Task.Delay(100);
        return driver;
    }

    private async Task<TrialEvaluator> EvaluatorAsync()
    {
        string source = Path.Combine(_dir, "src");
        Directory.CreateDirectory(source);
        foreach (var file in Directory.EnumerateFiles(CProjectFixtures.Path("sleeper")))
            File.Copy(file, Path.Combine(source, Path.GetFileName(file)), overwrite: true);
        string compiler = await CrashingGccAsync();
        var request = new TuningRequest
        {
            SourceDir = source,
            OutputDir = Path.Combine(_dir, "pinned"),
            IntermediateDir = Path.Combine(_dir, "obj"),
            Benchmarks = [new BenchmarkSpec("sleeper", [])],
            CCompiler = compiler,
        };
        var builder = new CMakeBuilder(new CMakeSettings(source, CCompiler: compiler));
        var runner = new ProgramRunner(pinToCore: true);
        var baseline = await new BaselineSetup(request, builder, runner, new RecordingDiagnosticSink()).PrepareAsync(CancellationToken.None);
        var info = await CompilerProbe.IdentifyAsync(baseline.Build.CCompilerPath!);
        var policy = new FlagPolicy(new PolicyOptions(), await CompilerProbe.CatalogAsync(info, request.BaselineFlags));
        return new TrialEvaluator(request, builder, baseline, policy, info, runner, new StatisticsOptions(MaxPairs: 12, Resamples: 500));
    }

    private static Task<TrialRecord> EvaluateAsync(TrialEvaluator evaluator, int trial, params string[] flags) =>
        evaluator.EvaluateAsync(trial, new Candidate(flags, "test"), TrialPhase.Screen, trial, CancellationToken.None);

    [Fact]
    public async Task A_flag_whose_build_crashed_the_compiler_is_rejected_in_later_candidates_without_a_build()
    {
        var evaluator = await EvaluatorAsync();

        var crashed = await EvaluateAsync(evaluator, 1, CrashingFlag);
        Assert.Equal(BuildStatus.Failed, crashed.BuildStatus);
        Assert.Contains("internal compiler error", crashed.BuildMessage);

        string[] later = ["-fipa-pta", CrashingFlag];
        var rejected = await EvaluateAsync(evaluator, 2, later);
        Assert.Equal(BuildStatus.Rejected, rejected.BuildStatus);
        Assert.Contains($"rejects: {CrashingFlag} (the compiler crashed building the project: ", rejected.BuildMessage);
        Assert.False(Directory.Exists(evaluator.BuildDirectoryFor(later)), "the candidate was built anyway");

        // A resumed session knows it from the ledger's record of the crash.
        var resumed = await EvaluatorAsync();
        resumed.Remember(crashed);
        var afterResume = await EvaluateAsync(resumed, 3, later);
        Assert.Equal(BuildStatus.Rejected, afterResume.BuildStatus);
        Assert.False(Directory.Exists(resumed.BuildDirectoryFor(later)), "the candidate was built anyway after a resume");
    }

    [Fact]
    public async Task A_set_of_flags_whose_build_crashed_rejects_candidates_containing_the_whole_set_only()
    {
        var evaluator = await EvaluatorAsync();

        var crashed = await EvaluateAsync(evaluator, 1, "-fipa-pta", CrashingFlag);
        Assert.Equal(BuildStatus.Failed, crashed.BuildStatus);

        string[] superset = [CrashingFlag, "-fno-tree-vectorize", "-fipa-pta"];
        var rejected = await EvaluateAsync(evaluator, 2, superset);
        Assert.Equal(BuildStatus.Rejected, rejected.BuildStatus);
        Assert.Contains("together with -fipa-pta -funroll-all-loops, the compiler crashed building the project", rejected.BuildMessage);
        Assert.False(Directory.Exists(evaluator.BuildDirectoryFor(superset)), "the candidate was built anyway");

        // Which of the two crashed the compiler is not known, so each alone is still built (and here, this one crashes).
        var alone = await EvaluateAsync(evaluator, 3, CrashingFlag);
        Assert.Equal(BuildStatus.Failed, alone.BuildStatus);
        Assert.True(Directory.Exists(evaluator.BuildDirectoryFor([CrashingFlag])));
    }
}
