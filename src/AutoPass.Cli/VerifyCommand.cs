using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Pinning.Staleness;
using AutoPass.Core.Policy;
using AutoPass.Core.Reporting;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;
using NuGet.Versioning;

namespace AutoPass.Cli;

/// <summary>
/// CI's check: the pinned files are one set, exactly as the lock file renders them, their flags are allowed, and they still
/// fit the installed compiler (or, for another compiler, that they leave it alone).
/// </summary>
internal static class VerifyCommand
{
    public static async Task<int> RunAsync(TuningRequest request, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        string path = Path.Combine(request.OutputDir, PinnedFiles.LockName);
        if (!File.Exists(path))
            throw LockFileError(request, $"There is no lock file at {path}.", "Run a tuning session (dotnet build -p:AutoPassTune=true, or autopass tune) and check in the autopass/ folder.");
        LockFile lockFile;
        try { lockFile = LockFile.Parse(await File.ReadAllTextAsync(path, ct)); }
        catch (System.Text.Json.JsonException e)
        {
            throw LockFileError(request, $"The lock file {path} is not valid: {e.Message}", "Restore it from version control or retune.");
        }
        if (!VersionRange.TryParse(lockFile.Compiler.VersionRange, out var pinnedRange))
            throw LockFileError(request, $"The lock file {path} pins the compiler versions '{lockFile.Compiler.VersionRange}', which is not a version range.", "Restore it from version control or retune.");

        // Every machine class's set is checked as the top-level one is, and the set this build's class chooses against its compiler.
        IReadOnlyList<PinnedSet> sets;
        PinnedSet chosen;
        string restore = "Restore the autopass/ folder from version control, or retune and check in the new files.";
        try
        {
            sets = PinnedMachineClasses.Sets(request.OutputDir, lockFile, restore);
            chosen = PinnedMachineClasses.Choose(sets, request.MachineClass);
        }
        catch (AutoPassException e)
        {
            Summarize(new VerifyReport(request, lockFile, null, [new StalenessFinding(e.Code, e.Message, e.Fix)]));
            throw;
        }
        var toolchains = sets.ToDictionary(set => set, set => PinnedLockFile.ToolchainOf(set.Lock, Path.Combine(set.Dir, PinnedFiles.LockName), "Restore it from version control or retune."));
        lockFile = chosen.Lock;
        var pinned = toolchains[chosen];
        // Before any compiler runs: a flag the policy denies is reported, never probed.
        Fail(new VerifyReport(request, lockFile, null, [.. sets.SelectMany(set => PinnedLockFile.Labelled(set,
            [.. PinnedFlagGate.Check(toolchains[set], set.Lock), .. PinnedSourceFiles.CheckPaths(request.SourceDir, set.Lock, request.OutputDir)]))]), sink);

        // Still before anything is configured or compiled: the pinned files are code every build runs, so they must be
        // what the lock file renders, line for line, and the source files they name must be there.
        var findings = new List<StalenessFinding>();
        var warnings = new List<StalenessFinding>();
        foreach (var set in sets)
        {
            findings.AddRange(PinnedLockFile.Labelled(set, [.. PinnedSetConsistency.Check(set.Dir, set.Lock), .. PinnedFilesRendered.Check(set.Dir, request.SourceDir, set.Lock, set.TopLevel)]));
            // Per-file pinning: a pinned file that vanished or moved fails; one that changed is a warning.
            foreach (var finding in PinnedLockFile.Labelled(set, PinnedSourceFiles.Check(request.SourceDir, set.Lock, request.OutputDir)))
                if (finding.Warning) { sink.Warning(finding.Code, $"{finding.Message} {finding.Fix}"); warnings.Add(finding); }
                else findings.Add(finding);
        }
        foreach (string unlisted in PinnedMachineClasses.Unlisted(request.OutputDir, sets[0].Lock))
        {
            var finding = new StalenessFinding(DiagnosticCode.MachineClassUnlisted,
                $"{unlisted} is not a machine class {PinnedFiles.LockName} in {request.OutputDir} lists, so no build uses it (a pin that stopped before it was listed, or a leftover).",
                "Pin that class again (its campaign's conclude, or a session with -p:AutoPassMachineClass=<name>), or delete the folder.", Warning: true);
            sink.Warning(finding.Code, $"{finding.Message} {finding.Fix}");
            warnings.Add(finding);
        }
        Fail(new VerifyReport(request, lockFile, null, findings, warnings), sink);
        if (chosen.ClassName is { } machineClass) sink.Detail($"checking the set of machine class {machineClass} ({chosen.Dir})");

        var buildCompiler = await BuildCompiler.FindAsync(request, lockFile.Compiler.Id, ct);
        sink.Detail($"checking against {buildCompiler.Path} ({buildCompiler.Reason})");
        var compiler = await CompilerProbe.IdentifyAsync(buildCompiler.Path, ct);
        foreach (var finding in await StalenessChecker.CheckAsync(pinned, compiler, ct))
            if (finding.Warning) { sink.Warning(finding.Code, $"{finding.Message} {finding.Fix}"); warnings.Add(finding); }
            else findings.Add(finding);
        var report = new VerifyReport(request, lockFile, $"{compiler.Id} {compiler.Version}", findings, warnings);
        Fail(report, sink);
        Summarize(report);
        if (warnings.Any(w => w.Code == DiagnosticCode.PinnedSetForOtherCompiler))
            sink.Info($"the pinned flags do not apply to {compiler.Id} {compiler.Version}: the pinned files leave them out of its builds ({lockFile.Compiler.Id} {lockFile.Compiler.VersionRange} only)");
        else
            sink.Info($"pinned flags are current for {compiler.Id} {compiler.Version} ({lockFile.Compiler.VersionRange})");
        return 0;
    }

    /// <summary>Reports every finding; the first becomes the error that fails the command.</summary>
    private static void Fail(VerifyReport report, ConsoleDiagnosticSink sink)
    {
        var findings = report.Findings;
        if (findings.Count == 0) return;
        Summarize(report);
        foreach (var finding in findings.Skip(1)) sink.Error(finding.Code, $"{finding.Message} {finding.Fix}");
        throw new AutoPassException(findings[0].Code, findings[0].Message, findings[0].Fix);
    }

    private static AutoPassException LockFileError(TuningRequest request, string message, string fix)
    {
        Summarize(new VerifyReport(request, null, null, [new StalenessFinding(DiagnosticCode.LockFileInvalid, message, fix)]));
        return new AutoPassException(DiagnosticCode.LockFileInvalid, message, fix);
    }

    /// <summary>The verdict as a CI step summary (AutoPassSummaryFile or GITHUB_STEP_SUMMARY), when there is one.</summary>
    private static void Summarize(VerifyReport report)
    {
        if (StepSummaryFile.For(report.Request) is { } path) StepSummaryFile.Append(path, MarkdownSummary.Verify(report));
    }
}
