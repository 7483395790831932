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

/// <summary>autopass.props, autopass.cmake and autopass.lock.json in the output directory.</summary>
internal sealed class PinnedFilesExporter : ISessionExporter
{
    public void Export(SessionResult result) => PinnedFiles.Write(result.Findings.Paths.OutputDir, result.Lock, result.Findings.Request.SourceDir);
}
