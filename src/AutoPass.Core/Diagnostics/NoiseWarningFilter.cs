namespace AutoPass.Core.Diagnostics;

/// <summary>
/// AutoPassNoNoiseWarnings=true: warnings about measurement noise (AP2004-AP2007, AP2009) become detail lines.
/// Errors and the proxy-objective warning (AP2008) still show.
/// </summary>
internal sealed class NoiseWarningFilter(IDiagnosticSink inner) : IDiagnosticSink
{
    private static readonly HashSet<string> NoiseCodes =
    [
        DiagnosticCode.NoisyMachine, DiagnosticCode.BenchmarkTooShort, DiagnosticCode.UnresolvableEffect,
        DiagnosticCode.BaselineDrift, DiagnosticCode.SlowFirstRun,
    ];

    public void Warning(string code, string message)
    {
        if (NoiseCodes.Contains(code)) inner.Detail($"{code}: {message}");
        else inner.Warning(code, message);
    }

    public void Info(string message) => inner.Info(message);
    public void Detail(string message) => inner.Detail(message);
    public void Progress(string status, string line) => inner.Progress(status, line);
}
