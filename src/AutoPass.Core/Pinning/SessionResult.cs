using AutoPass.Core.Evidence;

namespace AutoPass.Core.Pinning;

/// <summary>A finished session: what it found and the lock file decided from it. Every output is made from this.</summary>
internal sealed record SessionResult(SessionFindings Findings, LockFile Lock)
{
    /// <summary>The screening trial that won, before confirmation; null when none beat the baseline.</summary>
    public TrialRecord? Winner => Findings.Conclusion.Winner;

    /// <summary>The fresh measurement of the winner; null when there was no winner.</summary>
    public TrialRecord? Confirmation => Findings.Conclusion.Confirmation;

    public IReadOnlyList<TrialRecord> Trials => Findings.Trials;

    public int ReusedMeasurements => Findings.ReusedMeasurements;

    public string LedgerPath => Findings.Paths.Ledger;
}

/// <summary>One output of a finished session (pinned files, report, summary), made from its result alone.</summary>
internal interface ISessionExporter
{
    void Export(SessionResult result);
}

/// <summary>
/// autopass.props, autopass.cmake and autopass.lock.json in the output directory: the set of <paramref name="machineClass"/>
/// when given (the other classes' sets kept), else of the request's AutoPassMachineClass (described from this machine and
/// the session's compiler), else the folder's only set.
/// </summary>
internal sealed class PinnedFilesExporter(LockMachineClass? machineClass = null) : ISessionExporter
{
    public void Export(SessionResult result)
    {
        var lockFile = result.Lock;
        var forClass = machineClass
            ?? (result.Findings.Request.MachineClass is { Length: > 0 } name ? PinnedMachineClasses.Describe(name, lockFile.Machine, lockFile.Compiler) : null);
        PinnedFiles.Write(result.Findings.Paths.OutputDir, lockFile, result.Findings.Request.SourceDir, forClass);
    }
}
