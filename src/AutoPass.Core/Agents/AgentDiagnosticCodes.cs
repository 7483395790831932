namespace AutoPass.Core.Agents;

/// <summary>Agent diagnostics beyond the shared ones in <see cref="Diagnostics.DiagnosticCode"/> (AP3001-AP3003).</summary>
internal static class AgentDiagnosticCodes
{
    /// <summary>A replayed session asked the model something the ledger does not have, or asked differently.</summary>
    public const string ReplayDiverged = "AP3004";
}
