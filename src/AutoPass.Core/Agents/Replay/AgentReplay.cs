using System.Text.Json;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;

namespace AutoPass.Core.Agents.Replay;

/// <summary>Reads the agent exchanges of a ledger back, for <c>autopass replay</c>.</summary>
internal static class AgentReplay
{
    /// <summary>The recorded model calls of a ledger, in order, as a chat client to plug into <see cref="AgentStages.Create"/>.</summary>
    public static ReplayChatClient FromLedger(string ledgerPath, IDiagnosticSink? sink = null) => new(Attempts(ledgerPath), sink);

    /// <summary>Every model call of every "agent" line not answered by the built-in stages, in ledger order.</summary>
    public static IReadOnlyList<AgentAttempt> Attempts(string ledgerPath) =>
        Exchanges(ledgerPath).Where(e => e.FromModel).SelectMany(e => e.Attempts).ToList();

    public static IReadOnlyList<AgentExchange> Exchanges(string ledgerPath) =>
        Ledger.Read(ledgerPath).Lines.OfType<AgentExchange>().ToList();
}
