namespace AutoPass.Core.Evidence;

/// <summary>
/// Where the session's ledger lines go, in the order it writes them: the local <see cref="Ledger"/> file always,
/// and the shared <see cref="TrialStore"/> when one is set. Only the session appends.
/// </summary>
internal interface ILedgerSink : IDisposable
{
    void Append(LedgerLine line);
}
