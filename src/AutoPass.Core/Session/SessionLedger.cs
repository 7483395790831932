using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>
/// The session's ledger: the only writer of ledger lines. Opening it finds an interrupted session of the same
/// request to resume, or starts a new one with a header line. Every line goes to the local ledger.jsonl and, with
/// AutoPassStore, to the shared trial store as well; on a machine without the local ledger, the store's lines of the
/// campaign are copied into it first, so the session resumes from them as from its own.
/// </summary>
internal sealed class SessionLedger : IDisposable
{
    private readonly Ledger _ledger;
    private readonly TrialStore? _store;
    private readonly IReadOnlyList<ILedgerSink> _sinks;
    private readonly Lock _gate = new();
    private readonly TuningRequest _request;
    private readonly string _requestKey;

    /// <summary>The interrupted session of this request, when there is one to resume.</summary>
    public InterruptedSession? Interrupted { get; }

    public string Path => _ledger.Path;

    /// <param name="worker">A worker of a campaign (<see cref="WorkerSession"/>): the local ledger only, a new session each run
    /// (the campaign's shared history is in the store, which the worker writes through <see cref="CampaignClaims"/>).</param>
    public SessionLedger(ArtifactPaths paths, TuningRequest request, IDiagnosticSink sink, bool worker = false)
    {
        _request = request;
        _requestKey = SessionJournal.RequestKey(request);
        if (worker)
        {
            _ledger = new Ledger(paths.Ledger);
            _sinks = [_ledger];
            StartSession(note: SessionJournal.WorkerNote);
            return;
        }
        // Opened first: an unreachable store stops the session before anything is built or measured.
        _store = request.Store is { Length: > 0 } store ? TrialStore.Open(store, TrialStore.CampaignOf(request), _requestKey, request.StoreRetryWindow) : null;
        try
        {
            IReadOnlyList<LedgerLine> fromStore = [];
            if (File.Exists(paths.Ledger))
            {
                var contents = Ledger.Read(paths.Ledger);
                if (contents.SkippedLines > 0)
                    sink.Warning(DiagnosticCode.LedgerLinesSkipped,
                        $"{contents.SkippedLines} line(s) of {paths.Ledger} could not be read (cut short by a kill, or not written by this version of AutoPass) and were skipped. " +
                        "Nothing to do unless it repeats; delete the ledger to start afresh.");
                Interrupted = SessionJournal.Find(contents.Lines, _requestKey);
                if (_store is not null) CatchUp(_store, contents.Lines, sink);
            }
            else if (_store is not null)
            {
                var contents = _store.Lines();
                if (contents.SkippedLines > 0)
                    sink.Warning(DiagnosticCode.LedgerLinesSkipped,
                        $"{contents.SkippedLines} line(s) of campaign '{_store.Campaign}' in the trial store {_store.Address} could not be read (not written by this version of AutoPass) and were skipped. " +
                        "Nothing to do unless it repeats; give the session another AutoPassCampaign to start afresh.");
                Interrupted = SessionJournal.Find(contents.Lines, _requestKey);
                fromStore = contents.Lines;
            }
            _ledger = new Ledger(paths.Ledger);
            // Copied as they are (their own times), and not back to the store, which has them.
            _ledger.AppendAll(fromStore);
            if (fromStore.Count > 0)
                sink.Info($"trial store: no local ledger; read {fromStore.Count} line(s) of campaign '{_store!.Campaign}' from {_store.Address} into {paths.Ledger}");
            else if (_store is not null)
                sink.Info($"trial store: writing campaign '{_store.Campaign}' to {_store.Address}");
        }
        catch
        {
            _store?.Dispose();
            throw;
        }
        _sinks = _store is null ? [_ledger] : [_ledger, _store];
        if (Interrupted is null) StartSession(note: null);
    }

    /// <summary>
    /// Writes to the store the lines the local ledger has past the store's last one, when the store's lines are the
    /// ledger's first ones: the lines a lost store missed (AP2061) reach it when the session runs again.
    /// </summary>
    private static void CatchUp(TrialStore store, IReadOnlyList<LedgerLine> local, IDiagnosticSink sink)
    {
        var stored = store.Lines().Lines;
        // An empty campaign is left to the lines from now on: the ledger may hold other experiments' sessions.
        if (stored.Count == 0 || stored.Count >= local.Count) return;
        if (!stored.Select(Ledger.Text).SequenceEqual(local.Take(stored.Count).Select(Ledger.Text))) return;
        foreach (var line in local.Skip(stored.Count)) store.Append(line);
        sink.Info($"trial store: wrote {local.Count - stored.Count} line(s) of the local ledger the store of campaign '{store.Campaign}' had missed");
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
            SearchRules = Search.SearchDriver.CurrentRules,
        });

    /// <summary>
    /// Appends a line stamped with the time it was written: to the local ledger first, so a store that fails to take it
    /// (AP2061) never loses it.
    /// </summary>
    public void Append(LedgerLine line)
    {
        var stamped = line with { At = DateTimeOffset.UtcNow };
        // One order for every sink, whichever thread appends.
        lock (_gate)
            foreach (var target in _sinks) target.Append(stamped);
    }

    public void AppendAll(IEnumerable<LedgerLine> lines)
    {
        foreach (var line in lines) Append(line);
    }

    public void Dispose()
    {
        _ledger.Dispose();
        _store?.Dispose();
    }
}
