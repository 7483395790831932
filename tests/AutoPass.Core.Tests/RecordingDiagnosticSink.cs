using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Tests;

/// <summary>Collects diagnostics in memory; tests assert on it.</summary>
public sealed class RecordingDiagnosticSink : IDiagnosticSink
{
    private readonly List<(string Kind, string? Code, string Message)> _entries = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<(string Kind, string? Code, string Message)> Entries
    {
        get { lock (_gate) return _entries.ToList(); }
    }

    public IEnumerable<string> WarningCodes => Entries.Where(e => e.Kind == "warning").Select(e => e.Code!);

    public void Warning(string code, string message) { lock (_gate) _entries.Add(("warning", code, message)); }
    public void Info(string message) { lock (_gate) _entries.Add(("info", null, message)); }
    public void Detail(string message) { lock (_gate) _entries.Add(("detail", null, message)); }
    public void Progress(string status, string line) { lock (_gate) _entries.Add(("progress", null, line)); }
}
