using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;
using Npgsql;
using NpgsqlTypes;

namespace AutoPass.Core.Evidence;

/// <summary>
/// The shared trial store (AutoPassStore): the ledger's lines as rows of a PostgreSQL table, keyed by campaign and
/// request key and numbered per campaign in the order they were written, each with its line type, the ledger schema
/// version and the line's JSON. The tables are created on first use, with a row saying their version.
/// </summary>
internal sealed class TrialStore : ILedgerSink
{
    /// <summary>
    /// Version of the store's tables, in its schema row; a store of a later version is refused (AP1061), one of an
    /// earlier version is brought up to this one. 2: the workers' tables (<c>Session.CampaignClaims</c>), and each line's
    /// worker and machine class.
    /// </summary>
    public const int TablesVersion = 2;

    /// <summary>How long a write is retried while the store does not answer, before the session fails (AP2061).</summary>
    public static readonly TimeSpan DefaultRetryWindow = TimeSpan.FromMinutes(1);

    internal const string LinesTable = "autopass_ledger_lines";
    private const string VersionTable = "autopass_store_version";
    internal const string WorkersTable = "autopass_workers", BatchesTable = "autopass_batches", CandidatesTable = "autopass_candidates", ConclusionsTable = "autopass_conclusions";

    /// <summary>The workers' tables (version 2), which <c>Session.CampaignClaims</c> works in.</summary>
    private const string CreateWorkerTables =
        $"CREATE TABLE IF NOT EXISTS {WorkersTable} (campaign text NOT NULL, worker text NOT NULL, machine_class text NOT NULL, machine jsonb NOT NULL, " +
        "started_at timestamptz NOT NULL, heartbeat_at timestamptz NOT NULL, PRIMARY KEY (campaign, worker));" +
        $"CREATE TABLE IF NOT EXISTS {BatchesTable} (id bigserial PRIMARY KEY, campaign text NOT NULL, machine_class text NOT NULL, proposed_by text NOT NULL, " +
        "claimed_by text NOT NULL, lease_until timestamptz NOT NULL, done_by text, done_at timestamptz, created_at timestamptz NOT NULL, " +
        // What its proposer's search saw (the trials, the batches up to this one, the candidates in flight): what replay proposes from.
        "seen_trials integer[], seen_batch bigint, seen_in_flight integer);" +
        $"CREATE INDEX IF NOT EXISTS {BatchesTable}_open ON {BatchesTable} (campaign, machine_class) WHERE done_by IS NULL;" +
        $"CREATE TABLE IF NOT EXISTS {CandidatesTable} (campaign text NOT NULL, machine_class text NOT NULL, candidate_key text NOT NULL, trial integer NOT NULL, " +
        $"batch_id bigint NOT NULL REFERENCES {BatchesTable} (id), flags jsonb NOT NULL, origin text NOT NULL, rationale text, " +
        "PRIMARY KEY (campaign, machine_class, candidate_key), UNIQUE (campaign, machine_class, trial));" +
        $"CREATE TABLE IF NOT EXISTS {ConclusionsTable} (campaign text NOT NULL, machine_class text NOT NULL, worker text NOT NULL, " +
        "lease_until timestamptz NOT NULL, finished_at timestamptz, PRIMARY KEY (campaign, machine_class));";


    // jsonb keeps keys in its own order, so the "type" discriminator may not come first when a line is read back.
    private static readonly JsonSerializerOptions ReadOptions = new(Ledger.JsonOptions) { AllowOutOfOrderMetadataProperties = true };

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeSpan _retryWindow;
    private readonly Lock _gate = new();
    private long _nextSequence;

    /// <summary>The campaign this store's lines are written under and read from.</summary>
    public string Campaign { get; }

    /// <summary>The connection string with its password masked: what every message shows.</summary>
    public string Address { get; }

    private readonly string _requestKey;

    /// <summary>The request key the lines are written with.</summary>
    internal string RequestKey => _requestKey;

    /// <summary>The store's connections, for the workers' tables (<c>Session.CampaignClaims</c>).</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>How long a write is retried while the store does not answer.</summary>
    internal TimeSpan RetryWindow => _retryWindow;

    private TrialStore(NpgsqlDataSource dataSource, string address, string campaign, string requestKey, long nextSequence, TimeSpan retryWindow)
    {
        _dataSource = dataSource;
        Address = address;
        Campaign = campaign;
        _requestKey = requestKey;
        _nextSequence = nextSequence;
        _retryWindow = retryWindow;
    }

    /// <summary>The campaign a request's lines go under: AutoPassCampaign, else the request key (one campaign per experiment).</summary>
    public static string CampaignOf(TuningRequest request) =>
        string.IsNullOrWhiteSpace(request.Campaign) ? SessionJournal.RequestKey(request) : request.Campaign.Trim();

    /// <summary>
    /// Connects to the store, creating its tables on first use, to write and read the lines of one campaign.
    /// </summary>
    /// <exception cref="AutoPassException">AP1060 for a malformed connection string, AP2060 when the store cannot be
    /// reached, AP1061 when its tables are of a later AutoPass.</exception>
    public static TrialStore Open(string connectionString, string campaign, string requestKey, TimeSpan? retryWindow = null)
    {
        var builder = Parse(connectionString);
        string address = Mask(builder);
        // The server's view of its connections (pg_stat_activity) says who they are.
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "autopass";
        var dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            using var connection = Reach(dataSource, address, builder.Password);
            CreateTables(connection, address);
            long next = NextSequence(connection, campaign);
            return new TrialStore(dataSource, address, campaign, requestKey, next, retryWindow ?? DefaultRetryWindow);
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }
    }

    /// <summary>The connection string as messages may show it: the password, when there is one, masked.</summary>
    public static string Mask(string connectionString)
    {
        try { return Mask(new NpgsqlConnectionStringBuilder(connectionString)); }
        catch (ArgumentException) { return "(a connection string that could not be read)"; }
    }

    /// <summary>Every line of this campaign, in the order written; a row this version cannot read is skipped and counted.</summary>
    public LedgerContents Lines()
    {
        using var connection = _dataSource.OpenConnection();
        using var select = new NpgsqlCommand($"SELECT line::text FROM {LinesTable} WHERE campaign = @campaign ORDER BY seq", connection);
        select.Parameters.AddWithValue("campaign", Campaign);
        return ReadLines(select);
    }

    /// <summary>The lines a query of <c>line::text</c> returns, in its order; a row this version cannot read is skipped and counted.</summary>
    internal static LedgerContents ReadLines(NpgsqlCommand select)
    {
        using var reader = select.ExecuteReader();
        var lines = new List<LedgerLine>();
        int skipped = 0;
        while (reader.Read())
        {
            try
            {
                if (JsonSerializer.Deserialize<LedgerLine>(reader.GetString(0), ReadOptions) is { } line) lines.Add(line);
                else skipped++;
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
            {
                skipped++;
            }
        }
        return new LedgerContents(lines, skipped);
    }

    /// <summary>
    /// Writes lines as the campaign's next rows in <paramref name="transaction"/>, tagged with the worker that wrote them
    /// and its machine class. The campaign's numbering is taken under a lock, so workers writing at once never collide.
    /// </summary>
    internal static void InsertTagged(NpgsqlConnection connection, NpgsqlTransaction transaction, string campaign, string requestKey,
        IEnumerable<LedgerLine> lines, string worker, string machineClass)
    {
        using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('autopass lines ' || @campaign))", connection, transaction))
        {
            serialize.Parameters.AddWithValue("campaign", campaign);
            serialize.ExecuteNonQuery();
        }
        long next;
        using (var max = new NpgsqlCommand($"SELECT coalesce(max(seq), 0) + 1 FROM {LinesTable} WHERE campaign = @campaign", connection, transaction))
        {
            max.Parameters.AddWithValue("campaign", campaign);
            next = Convert.ToInt64(max.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        foreach (var line in lines)
        {
            string json = Ledger.Text(line);
            using var insert = new NpgsqlCommand(
                $"INSERT INTO {LinesTable} (campaign, request_key, seq, line_type, schema_version, line, written_at, worker, machine_class) " +
                "VALUES (@campaign, @requestKey, @seq, @type, @schema, @line, @writtenAt, @worker, @class)", connection, transaction);
            insert.Parameters.AddWithValue("campaign", campaign);
            insert.Parameters.AddWithValue("requestKey", requestKey);
            insert.Parameters.AddWithValue("seq", next++);
            insert.Parameters.AddWithValue("type", TypeOf(json));
            insert.Parameters.AddWithValue("schema", LedgerLine.SchemaVersion);
            insert.Parameters.Add(new NpgsqlParameter("line", NpgsqlDbType.Jsonb) { Value = json });
            insert.Parameters.AddWithValue("writtenAt", (line.At ?? DateTimeOffset.UtcNow).ToUniversalTime());
            insert.Parameters.AddWithValue("worker", worker);
            insert.Parameters.AddWithValue("class", machineClass);
            insert.ExecuteNonQuery();
        }
    }

    private static string TypeOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("type").GetString()!;
    }

    /// <summary>
    /// Writes the line as the next row of the campaign. While the store does not answer the write is retried for the
    /// retry window, then AP2061: a line is never dropped without the session failing.
    /// </summary>
    public void Append(LedgerLine line)
    {
        string json = Ledger.Text(line);
        string type = TypeOf(json);
        var writtenAt = (line.At ?? DateTimeOffset.UtcNow).ToUniversalTime();
        lock (_gate)
        {
            var clock = Stopwatch.StartNew();
            var pause = TimeSpan.FromMilliseconds(200);
            while (true)
            {
                try
                {
                    Insert(json, type, writtenAt);
                    return;
                }
                catch (NpgsqlException e) when (IsConnectionFailure(e))
                {
                    if (clock.Elapsed >= _retryWindow)
                        throw new AutoPassException(DiagnosticCode.StoreLost,
                            $"The trial store {Address} stopped answering and did not come back within {_retryWindow.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s " +
                            $"({e.Message}); the '{type}' line {_nextSequence} of campaign '{Campaign}' is in the local ledger only.",
                            "Bring the store back (or check the network to it) and run the same command again: the session resumes from the local ledger, which has every line.");
                    // Connections of the pool may all be dead after a restart of the server; start afresh.
                    _dataSource.Clear();
                    Thread.Sleep(pause);
                    pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                }
            }
        }
    }

    public void Dispose() => _dataSource.Dispose();

    private void Insert(string json, string type, DateTimeOffset writtenAt)
    {
        using var connection = _dataSource.OpenConnection();
        while (true)
        {
            using (var insert = new NpgsqlCommand(
                $"INSERT INTO {LinesTable} (campaign, request_key, seq, line_type, schema_version, line, written_at) " +
                "VALUES (@campaign, @requestKey, @seq, @type, @schema, @line, @writtenAt) ON CONFLICT (campaign, seq) DO NOTHING", connection))
            {
                insert.Parameters.AddWithValue("campaign", Campaign);
                insert.Parameters.AddWithValue("requestKey", _requestKey);
                insert.Parameters.AddWithValue("seq", _nextSequence);
                insert.Parameters.AddWithValue("type", type);
                insert.Parameters.AddWithValue("schema", LedgerLine.SchemaVersion);
                insert.Parameters.Add(new NpgsqlParameter("line", NpgsqlDbType.Jsonb) { Value = json });
                insert.Parameters.AddWithValue("writtenAt", writtenAt);
                if (insert.ExecuteNonQuery() == 1)
                {
                    _nextSequence++;
                    return;
                }
            }
            // The number is taken: by this very line when an earlier attempt wrote it but its answer was lost, else by another writer.
            using (var check = new NpgsqlCommand($"SELECT line = @line FROM {LinesTable} WHERE campaign = @campaign AND seq = @seq", connection))
            {
                check.Parameters.AddWithValue("campaign", Campaign);
                check.Parameters.AddWithValue("seq", _nextSequence);
                check.Parameters.Add(new NpgsqlParameter("line", NpgsqlDbType.Jsonb) { Value = json });
                if (check.ExecuteScalar() is true)
                {
                    _nextSequence++;
                    return;
                }
            }
            _nextSequence = NextSequence(connection, Campaign);
        }
    }

    private static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        const string fix = "Give it as keyword=value pairs separated by ';', e.g. Host=db.example;Port=5432;Database=autopass;Username=autopass;Password=... " +
                           "(a postgresql:// URL is not read), or leave it unset to keep the evidence in the local ledger only.";
        NpgsqlConnectionStringBuilder builder;
        // The text is not echoed: it may hold the password.
        try { builder = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new AutoPassException(DiagnosticCode.StoreAddressInvalid, "AutoPassStore (--store) is not a PostgreSQL connection string.", fix);
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new AutoPassException(DiagnosticCode.StoreAddressInvalid, $"AutoPassStore (--store) names no host: {Mask(builder)}.", fix);
        return builder;
    }

    private static string Mask(NpgsqlConnectionStringBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Password)) return builder.ConnectionString;
        var masked = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Password = "***" };
        return masked.ConnectionString;
    }

    private static NpgsqlConnection Reach(NpgsqlDataSource dataSource, string address, string? password)
    {
        try { return dataSource.OpenConnection(); }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            string why = string.IsNullOrEmpty(password) ? e.Message : e.Message.Replace(password, "***", StringComparison.Ordinal);
            throw new AutoPassException(DiagnosticCode.StoreUnreachable, $"The trial store {address} could not be reached: {why.TrimEnd('.')}.",
                "Start the PostgreSQL server, or correct AutoPassStore (--store: host, port, database and user; the password in it, " +
                "in PGPASSWORD or in ~/.pgpass); leave it unset to keep the evidence in the local ledger only.");
        }
    }

    private static void CreateTables(NpgsqlConnection connection, string address)
    {
        using var transaction = connection.BeginTransaction();
        // Two sessions starting on a new store at once would race to create the same tables.
        using (var create = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(hashtext('autopass trial store'));" +
            $"CREATE TABLE IF NOT EXISTS {VersionTable} (version integer NOT NULL);", connection, transaction))
            create.ExecuteNonQuery();
        // A store of a later AutoPass is left as it is; an earlier one's tables are brought up to this version.
        using (var version = new NpgsqlCommand($"SELECT max(version) FROM {VersionTable}", connection, transaction))
            if (version.ExecuteScalar() is int found && found > TablesVersion)
                throw new AutoPassException(DiagnosticCode.StoreSchemaNewer,
                    $"The trial store {address} has tables of version {found}, written by a later AutoPass; this one knows version {TablesVersion}.",
                    "Run the AutoPass that made the store, or give this one a store (or database) of its own.");
        using (var tables = new NpgsqlCommand(
            $"INSERT INTO {VersionTable} (version) SELECT {TablesVersion} WHERE NOT EXISTS (SELECT 1 FROM {VersionTable});" +
            $"CREATE TABLE IF NOT EXISTS {LinesTable} (" +
            "campaign text NOT NULL, request_key text NOT NULL, seq bigint NOT NULL, line_type text NOT NULL, " +
            "schema_version integer NOT NULL, line jsonb NOT NULL, written_at timestamptz NOT NULL, PRIMARY KEY (campaign, seq));" +
            $"CREATE INDEX IF NOT EXISTS {LinesTable}_request ON {LinesTable} (campaign, request_key);" +
            // Version 2: who wrote each line, and the machine class it was measured on (null: a single-machine session).
            $"ALTER TABLE {LinesTable} ADD COLUMN IF NOT EXISTS worker text, ADD COLUMN IF NOT EXISTS machine_class text;" +
            $"CREATE INDEX IF NOT EXISTS {LinesTable}_class ON {LinesTable} (campaign, machine_class, line_type);" +
            CreateWorkerTables +
            $"UPDATE {VersionTable} SET version = {TablesVersion} WHERE version < {TablesVersion};",
            connection, transaction))
            tables.ExecuteNonQuery();
        transaction.Commit();
    }

    private static long NextSequence(NpgsqlConnection connection, string campaign)
    {
        using var next = new NpgsqlCommand($"SELECT coalesce(max(seq), 0) + 1 FROM {LinesTable} WHERE campaign = @campaign", connection);
        next.Parameters.AddWithValue("campaign", campaign);
        return Convert.ToInt64(next.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The store did not answer (refused, timed out, shut down), as against a statement it rejected.</summary>
    internal static bool IsConnectionFailure(NpgsqlException e) => e is not PostgresException || e.IsTransient;
}
