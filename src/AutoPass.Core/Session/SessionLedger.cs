using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>
/// The session's ledger: the only writer of ledger lines. Opening it finds an interrupted session of the same
/// request to resume, or starts a new one with a header line.
/// </summary>
internal sealed class SessionLedger : IDisposable
{
    private readonly Ledger _ledger;
    private readonly TuningRequest _request;
    private readonly string _requestKey;

    /// <summary>The interrupted session of this request, when there is one to resume.</summary>
    public InterruptedSession? Interrupted { get; }

    public string Path => _ledger.Path;

    public SessionLedger(ArtifactPaths paths, TuningRequest request, IDiagnosticSink sink)
    {
        _request = request;
        _requestKey = SessionJournal.RequestKey(request);
        if (File.Exists(paths.Ledger))
        {
            var contents = Ledger.Read(paths.Ledger);
            if (contents.SkippedLines > 0)
                sink.Warning(DiagnosticCode.LedgerLinesSkipped,
                    $"{contents.SkippedLines} line(s) of {paths.Ledger} could not be read (cut short by a kill, or not written by this version of AutoPass) and were skipped. " +
                    "Nothing to do unless it repeats; delete the ledger to start afresh.");
            Interrupted = SessionJournal.Find(contents.Lines, _requestKey);
        }
        _ledger = new Ledger(paths.Ledger);
        if (Interrupted is null) StartSession(note: null);
    }

    /// <summary>
    /// The interrupted session, when it measured this baseline's binaries with this compiler; else null, and when there
    /// was one, a new session header saying why it is not resumed (before the new session's first line, so its compiler
    /// and hot files are found under its own header).
    /// </summary>
    public InterruptedSession? Resume(string compilerId, string compilerVersion, string compilerPath, string baselineFingerprint)
    {
        if (Interrupted is not { } interrupted) return null;
        if (interrupted.WhyNotResume(compilerId, compilerVersion, compilerPath, baselineFingerprint) is not { } whyNot) return interrupted;
        StartSession(note: whyNot);
        return null;
    }

    /// <summary>Writes a new session header: from here on, the interrupted session is no longer resumable.</summary>
    public void StartSession(string? note) =>
        Append(new SessionLine
        {
            RequestKey = _requestKey, Tool = ToolVersion.Current, SourceDir = _request.SourceDir, BaselineFlags = _request.BaselineFlags,
            Benchmarks = _request.Benchmarks.Select(b => b.DisplayName).ToList(),
            MaxTrials = _request.MaxTrials, MaxMinutes = _request.MaxMinutes, Seed = _request.Seed, Note = note,
        });

    /// <summary>Appends a line stamped with the time it was written.</summary>
    public void Append(LedgerLine line) => _ledger.Append(line with { At = DateTimeOffset.UtcNow });

    public void AppendAll(IEnumerable<LedgerLine> lines)
    {
        foreach (var line in lines) Append(line);
    }

    public void Dispose() => _ledger.Dispose();
}
