namespace AutoPass.Core.Agents;

/// <summary>Agent diagnostics beyond the shared ones in <see cref="Diagnostics.DiagnosticCode"/> (AP3001-AP3003).</summary>
internal static class AgentDiagnosticCodes
{
    /// <summary>A replayed session asked the model something the ledger does not have, or asked differently.</summary>
    public const string ReplayDiverged = "AP3004";

    /// <summary>The OpenAI-compatible server (AutoPassAgentProvider=openai) did not answer, at the start or during the session.</summary>
    public const string ModelServerUnavailable = "AP3005";

    /// <summary>The OpenAI-compatible server does not list the model (AutoPassModel), or lists none.</summary>
    public const string ModelNotServed = "AP3006";

    /// <summary>OPENAI_API_KEY is set but the endpoint is plain http to another machine, so the key is not sent.</summary>
    public const string ApiKeyWithheld = "AP3007";
}
