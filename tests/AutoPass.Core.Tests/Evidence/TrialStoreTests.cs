using System.Text.Json;
using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;
using Npgsql;

namespace AutoPass.Core.Tests.Evidence;

/// <summary>
/// The shared trial store (AutoPassStore) against the real PostgreSQL .ci/postgres starts: real tuning sessions of a
/// small C project write their ledger lines to it, replay reads them back, and a session on a machine without its
/// local ledger resumes from it.
/// </summary>
[Trait("Category", "Real")]
public sealed class TrialStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TuningRequest Request(string campaign, string? store = null) => new()
    {
        SourceDir = Path.Combine(_dir, "faulty"), OutputDir = Path.Combine(_dir, "pinned"), IntermediateDir = Path.Combine(_dir, "obj"),
        Benchmarks = [new BenchmarkSpec("ok", [])], MaxTrials = 2, RaceSize = 2, MaxMinutes = 3,
        Agents = AgentMode.Builtin, TuneScope = TuneScope.Project, NoNoiseWarnings = true,
        Store = store ?? TestPostgres.Require(), Campaign = campaign,
    };

    [PostgresFact]
    public async Task A_session_with_a_store_writes_every_ledger_line_to_it_and_replay_from_it_decides_as_from_the_ledger()
    {
        CProjectFixtures.CopyTo("faulty", _dir);
        var request = Request(TestPostgres.NewCampaign("session"));
        var sink = new RecordingDiagnosticSink();

        var result = await new TuningSession(request, sink).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

        // Every line of ledger.jsonl, in order and with the same content, is a row of the campaign.
        var fileLines = File.ReadAllLines(result.LedgerPath).Where(l => l.Length > 0).ToList();
        using var store = TrialStore.Open(request.Store!, request.Campaign!, SessionJournal.RequestKey(request));
        var stored = store.Lines();
        Assert.Equal(0, stored.SkippedLines);
        Assert.Equal(fileLines, stored.Lines.Select(l => JsonSerializer.Serialize(l, Ledger.JsonOptions)));
        Assert.Contains(stored.Lines, l => l is TrialRecord { Phase: TrialPhase.Screen });
        Assert.IsType<PinnedLine>(stored.Lines[^1]);
        // Each row says its line's type, the ledger schema and the request key.
        var rows = Rows(request.Store!, request.Campaign!);
        Assert.Equal(fileLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()), rows.Select(r => r.Type));
        Assert.All(rows, r => Assert.Equal((LedgerLine.SchemaVersion, SessionJournal.RequestKey(request)), (r.Schema, r.RequestKey)));
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), rows.Select(r => r.Sequence));

        // Replay from the store's rows makes the decisions replay from the ledger file makes.
        var catalog = await CompilerProbe.CatalogAsync(await CompilerProbe.IdentifyAsync(stored.Lines.OfType<CompilerLine>().Last().Path), request.BaselineFlags);
        var fromLedger = await DecisionReplay.RunAsync(request, catalog, result.LedgerPath, sink, CancellationToken.None);
        var fromStore = await DecisionReplay.RunAsync(request, catalog, stored.Lines, "the campaign", sink, CancellationToken.None);
        Assert.True(fromLedger.Decisions > 0);
        Assert.Equal(fromLedger, fromStore);
    }

    [PostgresFact]
    public async Task A_session_whose_local_ledger_is_gone_resumes_from_the_store()
    {
        CProjectFixtures.CopyTo("faulty", _dir);
        var first = Request(TestPostgres.NewCampaign("finished"));
        var finished = await new TuningSession(first, new RecordingDiagnosticSink()).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));
        // The same session as one interrupted before it pinned, in a campaign of its own: every line but the last.
        var interrupted = first with { Campaign = TestPostgres.NewCampaign("interrupted") };
        using (var copy = TrialStore.Open(interrupted.Store!, interrupted.Campaign!, SessionJournal.RequestKey(interrupted)))
        {
            var lines = Ledger.Read(finished.LedgerPath).Lines;
            Assert.IsType<PinnedLine>(lines[^1]);
            foreach (var line in lines.SkipLast(1)) copy.Append(line);
        }
        var measuredBefore = finished.Trials.Where(t => t.Phase == TrialPhase.Screen).Select(t => t.Trial).ToList();
        // A fresh machine: no local ledger.
        Directory.Delete(first.IntermediateDir, recursive: true);
        var sink = new RecordingDiagnosticSink();

        var resumed = await new TuningSession(interrupted, sink).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

        Assert.Contains(sink.Entries, e => e.Message.StartsWith("resuming the interrupted session from its ledger", StringComparison.Ordinal));
        Assert.Contains(sink.Entries, e => e.Message.StartsWith("trial store: no local ledger; read ", StringComparison.Ordinal));
        // The trials measured before were kept, not measured again: the budget was spent, so the search tried nothing new.
        Assert.Equal(measuredBefore, resumed.Trials.Where(t => t.Phase == TrialPhase.Screen).Select(t => t.Trial));
        // The local ledger got the store's lines, then this session's, which went to the store too.
        using var store = TrialStore.Open(interrupted.Store!, interrupted.Campaign!, SessionJournal.RequestKey(interrupted));
        Assert.Equal(File.ReadAllLines(resumed.LedgerPath).Where(l => l.Length > 0),
            store.Lines().Lines.Select(l => JsonSerializer.Serialize(l, Ledger.JsonOptions)));
        Assert.Single(store.Lines().Lines.OfType<SessionLine>());
    }

    [PostgresFact]
    public void Two_campaigns_in_one_store_are_kept_apart()
    {
        string connection = TestPostgres.Require();
        string a = TestPostgres.NewCampaign("a"), b = TestPostgres.NewCampaign("b");
        using (var storeA = TrialStore.Open(connection, a, "key-a"))
        using (var storeB = TrialStore.Open(connection, b, "key-b"))
        {
            storeA.Append(Header("key-a", "/src/a"));
            storeB.Append(Header("key-b", "/src/b"));
            storeA.Append(new CompilerLine("gcc", "12.2.0", "/usr/bin/gcc", "gcc (Debian 12.2.0) 12.2.0", 400) { At = DateTimeOffset.UtcNow });
        }

        using var readA = TrialStore.Open(connection, a, "key-a");
        using var readB = TrialStore.Open(connection, b, "key-b");
        var linesA = readA.Lines().Lines;
        var linesB = readB.Lines().Lines;
        Assert.Equal(["/src/a"], linesA.OfType<SessionLine>().Select(s => s.SourceDir));
        Assert.Single(linesA.OfType<CompilerLine>());
        Assert.Equal("/src/b", Assert.IsType<SessionLine>(Assert.Single(linesB)).SourceDir);
        // Each campaign numbers its own lines from 1.
        Assert.Equal([1L, 2L], Rows(connection, a).Select(r => r.Sequence));
        Assert.Equal([1L], Rows(connection, b).Select(r => r.Sequence));
    }

    [PostgresFact]
    public void A_store_lost_mid_session_fails_the_write_with_AP2061_after_its_retries_and_the_local_ledger_keeps_the_line()
    {
        using var relay = RelayToTestPostgres();
        var request = Request(TestPostgres.NewCampaign("lost"), store: Through(relay)) with { StoreRetryWindow = TimeSpan.FromSeconds(2) };
        var paths = ArtifactPaths.For(request);
        using var ledger = new SessionLedger(paths, request, new RecordingDiagnosticSink());
        relay.Cut();

        var error = Assert.Throws<AutoPassException>(() => ledger.Append(Compiler()));

        Assert.Equal(DiagnosticCode.StoreLost, error.Code);
        Assert.DoesNotContain(Password(), error.ToString());
        Assert.Contains("Password=***", error.Message);
        Assert.Contains("local ledger", error.Fix);
        // The line the store did not take is in the local ledger, after the header both have.
        Assert.Equal([typeof(SessionLine), typeof(CompilerLine)], Ledger.Read(paths.Ledger).Lines.Select(l => l.GetType()));
        Assert.Equal(["session"], Rows(TestPostgres.Require(), request.Campaign!).Select(r => r.Type));

        // Run again with the store back: the store gets the line it missed from the local ledger, before the new
        // session's header (that one had no calibration to resume).
        relay.Restore();
        ledger.Dispose();
        using var again = new SessionLedger(paths, request, new RecordingDiagnosticSink());
        Assert.Equal(["session", "compiler", "session"], Rows(TestPostgres.Require(), request.Campaign!).Select(r => r.Type));
        using var read = TrialStore.Open(request.Store!, request.Campaign!, SessionJournal.RequestKey(request));
        Assert.Equal(Ledger.Read(paths.Ledger).Lines.Select(Ledger.Text), read.Lines().Lines.Select(Ledger.Text));
    }

    [PostgresFact]
    public async Task A_store_back_within_the_retry_window_takes_the_line_once()
    {
        using var relay = RelayToTestPostgres();
        var request = Request(TestPostgres.NewCampaign("back"), store: Through(relay));
        using var ledger = new SessionLedger(ArtifactPaths.For(request), request, new RecordingDiagnosticSink());
        relay.Cut();
        var restore = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            relay.Restore();
        });

        ledger.Append(Compiler());
        await restore;

        Assert.Equal(["session", "compiler"], Rows(TestPostgres.Require(), request.Campaign!).Select(r => r.Type));
    }

    [Fact]
    public async Task An_unreachable_store_stops_the_session_before_it_builds_with_AP2060_and_a_masked_password()
    {
        CProjectFixtures.CopyTo("faulty", _dir);
        // Port 1 of the loopback: nothing listens there, so the connection is refused at once.
        var request = Request("unreachable", store: "Host=127.0.0.1;Port=1;Database=autopass;Username=autopass;Password=hunter2-secret");

        var error = await Assert.ThrowsAsync<AutoPassException>(() => new TuningSession(request, new RecordingDiagnosticSink()).RunAsync(CancellationToken.None));

        Assert.Equal(DiagnosticCode.StoreUnreachable, error.Code);
        Assert.DoesNotContain("hunter2-secret", error.ToString());
        Assert.Contains("Password=***", error.Message);
        Assert.Contains("Host=127.0.0.1", error.Message);
        Assert.Contains("Start the PostgreSQL server", error.Fix);
        Assert.False(Directory.Exists(Path.Combine(request.IntermediateDir, "builds")), "the session built before it found the store unreachable");
    }

    [Theory]
    [InlineData("postgresql://autopass:hunter2-secret@db/autopass")]
    [InlineData("Port=5432;Password=hunter2-secret")]
    public void A_store_that_is_no_connection_string_is_AP1060_without_echoing_it(string connectionString)
    {
        var error = Assert.Throws<AutoPassException>(() => TrialStore.Open(connectionString, "campaign", "key"));

        Assert.Equal(DiagnosticCode.StoreAddressInvalid, error.Code);
        Assert.DoesNotContain("hunter2-secret", error.ToString());
        Assert.Contains("Host=", error.Fix);
    }

    private static CompilerLine Compiler() => new("gcc", "12.2.0", "/usr/bin/gcc", "gcc (Debian 12.2.0) 12.2.0", 400);

    private static TcpRelay RelayToTestPostgres()
    {
        var direct = new NpgsqlConnectionStringBuilder(TestPostgres.Require());
        return new TcpRelay(direct.Host!, direct.Port);
    }

    private static string Through(TcpRelay relay) =>
        new NpgsqlConnectionStringBuilder(TestPostgres.Require()) { Host = "127.0.0.1", Port = relay.Port }.ConnectionString;

    private static string Password() => new NpgsqlConnectionStringBuilder(TestPostgres.Require()).Password!;

    private static SessionLine Header(string key, string source) => new()
    {
        RequestKey = key, Tool = ToolVersion.Current, SourceDir = source, BaselineFlags = ["-O3"], Benchmarks = ["ok"], At = DateTimeOffset.UtcNow,
    };

    private static List<(long Sequence, string Type, int Schema, string RequestKey)> Rows(string connectionString, string campaign)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var select = new NpgsqlCommand(
            "SELECT seq, line_type, schema_version, request_key FROM autopass_ledger_lines WHERE campaign = @campaign ORDER BY seq", connection);
        select.Parameters.AddWithValue("campaign", campaign);
        using var reader = select.ExecuteReader();
        var rows = new List<(long, string, int, string)>();
        while (reader.Read()) rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3)));
        return rows;
    }
}
