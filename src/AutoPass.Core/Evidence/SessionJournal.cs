using System.Security.Cryptography;
using System.Text;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Evidence;

/// <summary>An interrupted session found in a ledger: its finished trials, and the compiler it probed.</summary>
/// <param name="HotFiles">The files its candidates changed (hot-file tuning), as its profile chose them; null: the whole project.</param>
/// <param name="HotBuildSlots">How many hot-file candidates it built at once (<see cref="HotFilesLine.BuildSlots"/>).</param>
/// <param name="SearchRules">The rules its search proposed by (1 in older ledgers): the resumed search goes on by them.</param>
internal sealed record InterruptedSession(IReadOnlyList<TrialRecord> Trials, CompilerLine? Compiler, IReadOnlyList<HotSourceFile>? HotFiles = null, int HotBuildSlots = 1,
    int SearchRules = 1)
{
    /// <summary>Whether the session was run with this compiler: measurements of another compiler's binaries never carry over.</summary>
    public bool SameCompiler(string id, string version, string path) =>
        Compiler is null || (Compiler.Id == id && Compiler.Version == version && Compiler.Path == path);

    /// <summary>Null when it measured the same baseline binaries with the same compiler, so it can be resumed; else why not.</summary>
    public string? WhyNotResume(string compilerId, string compilerVersion, string compilerPath, string baselineFingerprint)
    {
        if (!SameCompiler(compilerId, compilerVersion, compilerPath))
            return $"compiler changed ({Compiler!.Id} {Compiler.Version} at {Compiler.Path}, now {compilerId} {compilerVersion} at {compilerPath}); not resuming";
        return Trials[0].BinaryHash == baselineFingerprint ? null : "baseline binaries changed; not resuming";
    }
}

/// <summary>
/// Finds an interrupted session in a ledger: the last session header with no "pinned" line after it, for
/// the same request. Its finished trials let a new run continue instead of starting over.
/// </summary>
internal static class SessionJournal
{
    /// <summary>
    /// The note of a worker's session header (AutoPassWorker): never resumed from the ledger, as its trials are the
    /// campaign's, which the trial store holds; a worker started again joins the campaign afresh.
    /// </summary>
    public const string WorkerNote = "worker of a campaign in the trial store";

    /// <summary>
    /// What makes two runs the same experiment: this AutoPass and ledger schema, the project, benchmarks with how
    /// their output is checked, baseline, seed, policy, objective, search, which compilers were asked for, and the preset,
    /// configure arguments and measured build type.
    /// Budgets are left out, so a session can be resumed with more time.
    /// </summary>
    public static string RequestKey(TuningRequest request)
    {
        var identity = string.Join('\n',
            ToolVersion.Current, LedgerLine.SchemaVersion,
            request.SourceDir,
            string.Join(' ', request.BaselineFlags),
            string.Join(';', request.Benchmarks.Select(b => string.Join('\u001f',
                b.Target, string.Join(' ', b.Arguments), b.TimeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                string.Join(' ', b.OutputFiles ?? []), string.Join(' ', b.VerifyCommand ?? [])))),
            request.Seed, request.MinEffect, request.Confidence, request.AllowUnsafeMath, request.AllowMachineSpecific,
            request.Objective, request.Search,
            request.CCompiler ?? Environment.GetEnvironmentVariable("CC") ?? "", request.CxxCompiler ?? Environment.GetEnvironmentVariable("CXX") ?? "",
            // How the project is configured and which build type is measured: another toolchain or build type is another experiment.
            request.CMakePreset ?? "", string.Join('\u001f', request.CMakeArgs), request.BuildTypes.Count > 0 ? request.BuildTypes[0] : "",
            // Which files candidates change: hot files build other programs from the same flags than the whole project does.
            request.TuneScope, request.HotShare);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
    }

    /// <summary>The interrupted session with this key, or null when there is none to resume.</summary>
    public static InterruptedSession? Find(IReadOnlyList<LedgerLine> ledger, string requestKey)
    {
        List<TrialRecord>? current = null;
        CompilerLine? compiler = null;
        IReadOnlyList<HotSourceFile>? hotFiles = null;
        int buildSlots = 1, rules = 1;
        foreach (var line in ledger)
        {
            switch (line)
            {
                case SessionLine session:
                    current = session.RequestKey == requestKey && session.Schema == LedgerLine.SchemaVersion && session.Note != WorkerNote ? [] : null;
                    compiler = null;
                    hotFiles = null;
                    buildSlots = 1;
                    rules = session.SearchRules ?? 1;
                    break;
                case PinnedLine:
                    current = null;
                    break;
                case CompilerLine probed when current is not null:
                    compiler = probed;
                    break;
                case HotFilesLine hot when current is not null:
                    hotFiles = hot.Files;
                    buildSlots = hot.BuildSlots;
                    break;
                case TrialRecord trial when current is not null:
                    current.Add(trial);
                    break;
            }
        }
        // Without its calibration a session had not really started.
        return current is { Count: > 0 } && current[0].Phase == TrialPhase.Calibration ? new InterruptedSession(current, compiler, hotFiles, buildSlots, rules) : null;
    }
}
