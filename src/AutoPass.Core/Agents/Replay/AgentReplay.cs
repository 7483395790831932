using System.Text.Json;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;

namespace AutoPass.Core.Agents.Replay;

/// <summary>Reads the agent exchanges of a ledger back, for <c>autopass replay</c>.</summary>
internal static class AgentReplay
{
    /// <summary>The recorded model calls of a ledger, in order, as a chat client to plug into <see cref="AgentStages.Create"/>.</summary>
    public static ReplayChatClient FromLedger(string ledgerPath, IDiagnosticSink? sink = null) => FromLines(Ledger.Read(ledgerPath).Lines, sink);

    /// <summary>The recorded model calls of these ledger lines (a ledger's, or a campaign's in the trial store), as a chat client.</summary>
    public static ReplayChatClient FromLines(IReadOnlyList<LedgerLine> lines, IDiagnosticSink? sink = null) =>
        new(lines.OfType<AgentExchange>().Where(e => e.FromModel).SelectMany(e => e.Attempts).ToList(), sink);

    /// <summary>Every model call of every "agent" line not answered by the built-in stages, in ledger order.</summary>
    public static IReadOnlyList<AgentAttempt> Attempts(string ledgerPath) =>
        Exchanges(ledgerPath).Where(e => e.FromModel).SelectMany(e => e.Attempts).ToList();

    public static IReadOnlyList<AgentExchange> Exchanges(string ledgerPath) =>
        Ledger.Read(ledgerPath).Lines.OfType<AgentExchange>().ToList();
}
