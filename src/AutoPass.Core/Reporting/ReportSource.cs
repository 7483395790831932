using AutoPass.Core.Evidence;
using AutoPass.Core.Pinning;

namespace AutoPass.Core.Reporting;

/// <summary>
/// What a report is made of: the last session of a ledger (its header, compiler, noise, trials and what it pinned)
/// and the lock file it wrote, when there is one. The session's own report and `autopass report` read the same.
/// </summary>
internal sealed record ReportSource(
    SessionLine? Session,
    CompilerLine? Compiler,
    NoiseLine? Noise,
    IReadOnlyList<TrialRecord> Trials,
    PinnedLine? Pinned,
    LockFile? Lock,
    int SkippedLines = 0)
{
    public static ReportSource FromLedger(string ledgerPath, LockFile? lockFile)
    {
        var contents = Ledger.Read(ledgerPath);
        return FromLines(Ledger.LastSession(contents.Lines), lockFile) with { SkippedLines = contents.SkippedLines };
    }

    public static ReportSource FromLines(IReadOnlyList<LedgerLine> session, LockFile? lockFile)
    {
        // A resumed session can hold an earlier run's record of a trial number (a confirmation cut short); the last one stands.
        var trials = session.OfType<TrialRecord>().GroupBy(t => t.Trial).Select(g => g.Last()).OrderBy(t => t.Trial).ToList();
        return new ReportSource(session.OfType<SessionLine>().FirstOrDefault(), session.OfType<CompilerLine>().LastOrDefault(),
            session.OfType<NoiseLine>().LastOrDefault(), trials, session.OfType<PinnedLine>().LastOrDefault(), lockFile);
    }
}
