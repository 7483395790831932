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
        return (lockFile, ToolchainOf(lockFile, path, fix));
    }

    /// <summary>What a lock file pins about the compiler; AP5004 when its version range is not one.</summary>
    public static PinnedToolchain ToolchainOf(LockFile lockFile, string path, string fix)
    {
        if (!VersionRange.TryParse(lockFile.Compiler.VersionRange, out var range))
            throw new AutoPassException(DiagnosticCode.LockFileInvalid,
                $"The lock file {path} pins the compiler versions '{lockFile.Compiler.VersionRange}', which is not a version range.", fix);
        return new PinnedToolchain(lockFile.Compiler.Id, range, [.. lockFile.Baseline.Flags, .. lockFile.Flags],
            new PolicyOptions(lockFile.Policy.AllowUnsafeMath, lockFile.Policy.AllowMachineSpecific));
    }

    /// <summary>The pinned sets of the request's output folder (the top-level set first, then each other machine class's) and the one its machine class chooses (AP5031 when none is for it).</summary>
    public static (IReadOnlyList<PinnedSet> Sets, PinnedSet Chosen) LoadSets(TuningRequest request, string fix)
    {
        var (top, _) = Load(request, fix);
        var sets = PinnedMachineClasses.Sets(request.OutputDir, top, fix);
        return (sets, PinnedMachineClasses.Choose(sets, request.MachineClass));
    }

    /// <summary>
    /// The set the request's machine class chooses, after the checks a command makes before any compiler runs with what a
    /// lock pins, on every machine class's set: every flag, each hot file's included, passes the policy gate (AP5007),
    /// and with <paramref name="rendered"/> autopass.cmake and autopass.props are exactly what it renders. The first
    /// finding fails the command.
    /// </summary>
    public static (LockFile Lock, PinnedToolchain Pinned, PinnedSet Set, IReadOnlyList<PinnedSet> Sets) LoadChecked(TuningRequest request, string fix, ConsoleDiagnosticSink sink, bool rendered)
    {
        var (sets, chosen) = LoadSets(request, fix);
        var findings = new List<StalenessFinding>();
        foreach (var set in sets)
        {
            var pinned = ToolchainOf(set.Lock, Path.Combine(set.Dir, PinnedFiles.LockName), fix);
            findings.AddRange(Labelled(set, [.. PinnedFlagGate.Check(pinned, set.Lock), .. rendered ? PinnedFilesRendered.Check(set.Dir, request.SourceDir, set.Lock, set.TopLevel) : []]));
        }
        FailOn(findings, sink);
        return (chosen.Lock, ToolchainOf(chosen.Lock, Path.Combine(chosen.Dir, PinnedFiles.LockName), fix), chosen, sets);
    }

    /// <summary>A class's findings name its class and folder (the top-level set's read as they always have).</summary>
    public static IEnumerable<StalenessFinding> Labelled(PinnedSet set, IEnumerable<StalenessFinding> findings) =>
        set.TopLevel ? findings : findings.Select(f => f with { Message = set.Label + f.Message });

    /// <summary>Reports every finding; the first becomes the error that fails the command.</summary>
    public static void FailOn(IReadOnlyList<StalenessFinding> findings, ConsoleDiagnosticSink sink)
    {
        if (findings.Count == 0) return;
        foreach (var finding in findings.Skip(1)) sink.Error(finding.Code, $"{finding.Message} {finding.Fix}");
        throw new AutoPassException(findings[0].Code, findings[0].Message, findings[0].Fix);
    }
}
