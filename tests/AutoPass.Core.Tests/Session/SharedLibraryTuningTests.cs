using System.Diagnostics;
using AutoPass.Core.Build;
using AutoPass.Core.Evidence;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Session;

/// <summary>
/// A project whose kernel is a shared library of its own (tests/fixtures/cprojects/sharedkernel), tuned for real in
/// project scope: a candidate that changes only the library's code is timed, and each build tree's program loads
/// its own tree's library.
/// </summary>
public sealed class SharedLibraryTuningTests : IDisposable
{
    private readonly UnrulyProject _project = new("sharedkernel");

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Candidates_that_change_only_the_shared_kernel_are_timed_not_taken_for_the_baseline()
    {
        var request = _project.Request(new BenchmarkSpec("bench", ["2000"])) with
        {
            TuneScope = TuneScope.Project,
            MaxTrials = 3,
            RaceSize = 3,
            MaxMinutes = 3,
            Search = SearchMode.Random,
            Agents = AgentMode.Builtin,
            NoNoiseWarnings = true,
        };

        var result = await new TuningSession(request, new RecordingDiagnosticSink()).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

        string builds = Path.Combine(request.IntermediateDir, "builds");
        var (baselineProgram, baselineLibrary) = Artifacts(Path.Combine(builds, "baseline"));
        // The candidates' own trees: not the baseline's, nor the copy of its program the calibration runs, nor a tree whose build failed.
        var candidates = Directory.GetDirectories(builds)
            .Where(d => Path.GetFileName(d) is not ("baseline" or "baseline-copy") && Directory.GetFiles(d, "bench", SearchOption.AllDirectories).Length > 0)
            .Select(Artifacts).ToList();
        Assert.True(candidates.Count > 0, "no candidate tree in " + string.Join(", ", Directory.GetFileSystemEntries(builds).Select(Path.GetFileName)));
        foreach (var (program, library) in candidates)
        {
            // Each tree's program loads its own tree's library (CMake's build-tree run path), by our reading and the loader's.
            Assert.Equal([library], ExecutableFingerprint.ProjectLibraries(program));
            Assert.Contains($"libkernel.so => {library} ", Ldd(program));
        }
        bool Same(string a, string b) => BinaryFingerprint.Compute(a) == BinaryFingerprint.Compute(b);
        int kernelOnly = candidates.Count(c => Same(c.Program, baselineProgram) && !Same(c.Library, baselineLibrary));
        int unchanged = candidates.Count(c => Same(c.Program, baselineProgram) && Same(c.Library, baselineLibrary));
        Assert.True(kernelOnly > 0, "no candidate changed the kernel library alone; the test proves nothing");

        var screened = result.Trials.Where(t => t.Phase == TrialPhase.Screen && t.Trial > 0).ToList();
        // Only a candidate whose program and library both equal the baseline's may be taken for it.
        Assert.True(screened.Count(t => t.OutputCheckMessage == "identical to the baseline's binaries") <= unchanged,
            string.Join('\n', screened.Select(t => $"{t.Trial} {string.Join(' ', t.Flags)}: {t.BuildStatus} {t.OutputCheckMessage} {t.Verdict}")));
        Assert.Contains(screened, t => t.BuildStatus == BuildStatus.Ok && t.Verdict is { Pairs: > 0 });
    }

    [Fact]
    public async Task A_hot_file_session_whose_benchmark_loads_the_projects_shared_library_tunes_the_whole_project()
    {
        var request = _project.Request(new BenchmarkSpec("bench", ["2000"])) with
        {
            MaxTrials = 1,
            RaceSize = 1,
            MaxMinutes = 3,
            Search = SearchMode.Random,
            Agents = AgentMode.Builtin,
            NoNoiseWarnings = true,
        };
        var sink = new RecordingDiagnosticSink();

        var result = await new TuningSession(request, sink).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

        // A copied program would load the tree's latest build of the library: the library is named, the scope is the project.
        var warning = Assert.Single(sink.Entries, e => e.Code == Core.Diagnostics.DiagnosticCode.NoHotFileProfile);
        Assert.Contains("load a shared library the project builds (libkernel.so", warning.Message);
        Assert.Null(result.Findings.HotFiles);
    }

    [Fact]
    public async Task A_session_interrupted_before_the_shared_kernel_changed_is_not_resumed_with_its_stale_trials()
    {
        var request = _project.Request(new BenchmarkSpec("bench", ["2000"])) with
        {
            TuneScope = TuneScope.Project,
            MaxTrials = 20,
            RaceSize = 1,
            MaxMinutes = 3,
            Search = SearchMode.Random,
            Agents = AgentMode.Builtin,
            NoNoiseWarnings = true,
        };
        string ledger = Path.Combine(request.IntermediateDir, "ledger.jsonl");
        // Interrupted (as by Ctrl+C) once it has finished a screening trial.
        using (var stop = new CancellationTokenSource())
        {
            var session = new TuningSession(request, new RecordingDiagnosticSink()).RunAsync(stop.Token);
            for (int i = 0; i < 1200 && !session.IsCompleted && !(File.Exists(ledger) && File.ReadLines(ledger).Any(l => l.Contains("\"phase\":\"screen\"", StringComparison.Ordinal))); i++)
                await Task.Delay(100);
            stop.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.WaitAsync(TimeSpan.FromMinutes(2)));
        }
        // The kernel's code changes; the executable, with no code of its own, stays the same file.
        string kernel = Path.Combine(request.SourceDir, "kernel.c");
        File.WriteAllText(kernel, File.ReadAllText(kernel).Replace("acc += (unsigned long)sum;", "acc += (unsigned long)sum * 3;", StringComparison.Ordinal));
        var sink = new RecordingDiagnosticSink();

        await new TuningSession(request with { MaxTrials = 1 }, sink).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

        Assert.DoesNotContain(sink.Entries, e => e.Message.Contains("resuming the interrupted session", StringComparison.Ordinal));
        Assert.Contains(File.ReadLines(ledger), l => l.Contains("baseline binaries changed; not resuming", StringComparison.Ordinal));
    }

    private static (string Program, string Library) Artifacts(string tree) =>
        (Directory.GetFiles(tree, "bench", SearchOption.AllDirectories).Single(), Directory.GetFiles(tree, "libkernel.so", SearchOption.AllDirectories).Single());

    /// <summary>What the dynamic loader resolves the program's libraries to.</summary>
    private static string Ldd(string program)
    {
        var info = new ProcessStartInfo("ldd", [program]) { RedirectStandardOutput = true, UseShellExecute = false };
        info.Environment.Remove("LD_LIBRARY_PATH");
        using var ldd = Process.Start(info)!;
        string output = ldd.StandardOutput.ReadToEnd();
        ldd.WaitForExit();
        return output;
    }
}
