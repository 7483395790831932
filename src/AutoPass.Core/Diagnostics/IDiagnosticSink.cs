namespace AutoPass.Core.Diagnostics;

/// <summary>Where the engine reports progress and warnings; the CLI writes them to stdout.</summary>
internal interface IDiagnosticSink
{
    /// <summary>A warning with a code; the text names the property that silences it.</summary>
    void Warning(string code, string message);

    /// <summary>A line that should be visible in normal build output (session milestones, summary).</summary>
    void Info(string message);

    /// <summary>Per-trial detail, shown only at detailed verbosity.</summary>
    void Detail(string message);

    /// <summary>
    /// Where the session is now: <paramref name="line"/> for logs, like <see cref="Info"/>; <paramref name="status"/>, a
    /// few words (trial, budget used, best so far), for a live terminal's one status line that each new one replaces.
    /// </summary>
    void Progress(string status, string line);
}
