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

        var pinned = new PinnedToolchain(lockFile.Compiler.Id, pinnedRange, [.. lockFile.Baseline.Flags, .. lockFile.Flags],
            new PolicyOptions(lockFile.Policy.AllowUnsafeMath, lockFile.Policy.AllowMachineSpecific));
        // Before any compiler runs: a flag the policy denies is reported, never probed.
        Fail(new VerifyReport(request, lockFile, null, [.. PinnedFlagGate.Check(pinned, lockFile), .. PinnedSourceFiles.CheckPaths(request.SourceDir, lockFile, request.OutputDir)]), sink);

        // Still before anything is configured or compiled: the pinned files are code every build runs, so they must be
        // what the lock file renders, line for line, and the source files they name must be there.
        var findings = new List<StalenessFinding>(PinnedSetConsistency.Check(request.OutputDir, lockFile));
        findings.AddRange(PinnedFilesRendered.Check(request.OutputDir, request.SourceDir, lockFile));
        var warnings = new List<StalenessFinding>();
        // Per-file pinning: a pinned file that vanished or moved fails; one that changed is a warning.
        foreach (var finding in PinnedSourceFiles.Check(request.SourceDir, lockFile, request.OutputDir))
            if (finding.Warning) { sink.Warning(finding.Code, $"{finding.Message} {finding.Fix}"); warnings.Add(finding); }
            else findings.Add(finding);
        Fail(new VerifyReport(request, lockFile, null, findings, warnings), sink);

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
