using AutoPass.Core.Agents.Builtin;

namespace AutoPass.Core.Agents;

/// <summary>The three stages of one implementation, and its name in the ledger and in candidate origins.</summary>
internal sealed record AgentStageSet(string Implementation, IAnalyst Analyst, IProposer Proposer, IDiagnostician Diagnostician, string? Model = null)
{
    public static AgentStageSet Builtin { get; } = new("builtin", new BuiltinAnalyst(), new BuiltinProposer(), new BuiltinDiagnostician());
}
