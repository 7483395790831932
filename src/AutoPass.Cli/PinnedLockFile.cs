using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Pinning.Staleness;
using AutoPass.Core.Policy;
using AutoPass.Core.Workload;
using NuGet.Versioning;

namespace AutoPass.Cli;

/// <summary>The checked-in lock file of a request's output directory, read for build and render (verify reads its own, to summarize).</summary>
internal static class PinnedLockFile
{
    /// <summary>The lock file and what it pins; AP5004 when it is missing or not valid.</summary>
    public static (LockFile Lock, PinnedToolchain Pinned) Load(TuningRequest request, string fix)
    {
        string path = Path.Combine(request.OutputDir, PinnedFiles.LockName);
        if (!File.Exists(path))
            throw new AutoPassException(DiagnosticCode.LockFileInvalid, $"There is no lock file at {path}.", fix);
        LockFile lockFile;
        try { lockFile = LockFile.Parse(File.ReadAllText(path)); }
        catch (System.Text.Json.JsonException e)
        {
            throw new AutoPassException(DiagnosticCode.LockFileInvalid, $"The lock file {path} is not valid: {e.Message}", fix);
        }
        if (!VersionRange.TryParse(lockFile.Compiler.VersionRange, out var range))
            throw new AutoPassException(DiagnosticCode.LockFileInvalid,
                $"The lock file {path} pins the compiler versions '{lockFile.Compiler.VersionRange}', which is not a version range.", fix);
        return (lockFile, new PinnedToolchain(lockFile.Compiler.Id, range, [.. lockFile.Baseline.Flags, .. lockFile.Flags],
            new PolicyOptions(lockFile.Policy.AllowUnsafeMath, lockFile.Policy.AllowMachineSpecific)));
    }

    /// <summary>
    /// The lock file, after the checks a command makes before any compiler runs with what it pins: every flag, each hot
    /// file's included, passes the policy gate (AP5007), and with <paramref name="rendered"/> autopass.cmake and
    /// autopass.props are exactly what it renders. The first finding fails the command.
    /// </summary>
    public static (LockFile Lock, PinnedToolchain Pinned) LoadChecked(TuningRequest request, string fix, ConsoleDiagnosticSink sink, bool rendered)
    {
        var (lockFile, pinned) = Load(request, fix);
        FailOn([.. PinnedFlagGate.Check(pinned, lockFile), .. rendered ? PinnedFilesRendered.Check(request.OutputDir, request.SourceDir, lockFile) : []], sink);
        return (lockFile, pinned);
    }

    /// <summary>Reports every finding; the first becomes the error that fails the command.</summary>
    public static void FailOn(IReadOnlyList<StalenessFinding> findings, ConsoleDiagnosticSink sink)
    {
        if (findings.Count == 0) return;
        foreach (var finding in findings.Skip(1)) sink.Error(finding.Code, $"{finding.Message} {finding.Fix}");
        throw new AutoPassException(findings[0].Code, findings[0].Message, findings[0].Fix);
    }
}
