using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Search;
using Npgsql;
using NpgsqlTypes;

namespace AutoPass.Core.Session;

/// <summary>A batch a worker holds: its id and its candidates with their trial numbers, in trial order.</summary>
internal sealed record ClaimedBatch(long Id, IReadOnlyList<(int Trial, Candidate Candidate)> Candidates);

/// <summary>
/// What a worker's class has done so far in the campaign: its screening trials (in trial order), the keys of every
/// candidate proposed (measured or still in a batch), how many are still in batches not done, how long ago the class's
/// first worker joined (by the store's clock), and who holds the class's conclusion.
/// </summary>
/// <param name="SeenBatch">The last batch whose candidates are in <paramref name="Proposed"/> (0: none).</param>
internal sealed record ClassHistory(
    IReadOnlyList<TrialRecord> Trials, IReadOnlySet<string> Proposed, int InFlight, TimeSpan SinceStart, ConclusionHolder? Conclusion, long SeenBatch = 0);

/// <summary>The worker that took the class's conclusion; <paramref name="Live"/>: its lease still runs.</summary>
internal sealed record ConclusionHolder(string Worker, bool Finished, bool Live);

/// <summary>
/// The workers' side of the trial store: who works on a campaign (each worker, its machine and class, a heartbeat),
/// the batches of candidates they propose and claim, and the conclusion of each class. A batch is held under a lease
/// that the worker's heartbeat renews; a batch whose lease ran out goes back to the pool. Every candidate key is unique
/// within its campaign and class, so a flag set is proposed (and measured) once per class, and a batch's trials are
/// written in the same transaction that marks it done, so a finished race is recorded exactly once.
/// </summary>
internal sealed class CampaignClaims : IDisposable
{
    private const string Workers = TrialStore.WorkersTable, Batches = TrialStore.BatchesTable, Candidates = TrialStore.CandidatesTable, Conclusions = TrialStore.ConclusionsTable;

    private readonly TrialStore _store;
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>This worker's id in the store: the host, the process and a few random letters (a restarted worker is a new one).</summary>
    public string Worker { get; }

    public MachineClass Machine { get; }

    public string ClassKey => Machine.Key;

    public string Campaign => _store.Campaign;

    public string Address => _store.Address;

    /// <summary>How long a claim holds without a heartbeat.</summary>
    public TimeSpan Lease { get; }

    private CampaignClaims(TrialStore store, string worker, MachineClass machine, TimeSpan lease)
    {
        _store = store;
        _dataSource = store.DataSource;
        Worker = worker;
        Machine = machine;
        Lease = lease;
    }

    /// <summary>Records this worker, its machine and class in the campaign, and starts its heartbeat clock.</summary>
    public static CampaignClaims Join(TrialStore store, MachineClass machine, TimeSpan lease)
    {
        string worker = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        var claims = new CampaignClaims(store, worker, machine, lease);
        claims.Retry("record the worker", connection =>
        {
            using var insert = new NpgsqlCommand(
                $"INSERT INTO {Workers} (campaign, worker, machine_class, machine, started_at, heartbeat_at) VALUES (@campaign, @worker, @class, @machine, now(), now())",
                connection);
            claims.Key(insert);
            insert.Parameters.Add(new NpgsqlParameter("machine", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(machine, Ledger.JsonOptions) });
            return insert.ExecuteNonQuery();
        });
        return claims;
    }

    /// <summary>
    /// The worker is alive: its heartbeat, and the leases of the batch and conclusion it holds, renewed. One attempt;
    /// a store that does not answer now is tried again at the next beat (the leases outlast a few missed beats).
    /// </summary>
    /// <param name="batch">The batch the worker is racing, if any: only its lease is renewed.</param>
    public bool Beat(long? batch)
    {
        try
        {
            using var connection = _dataSource.OpenConnection();
            using var renew = new NpgsqlCommand(
                $"UPDATE {Workers} SET heartbeat_at = now() WHERE campaign = @campaign AND worker = @worker;" +
                $"UPDATE {Batches} SET lease_until = now() + @lease WHERE id = @batch AND claimed_by = @worker AND done_by IS NULL;" +
                $"UPDATE {Conclusions} SET lease_until = now() + @lease WHERE campaign = @campaign AND worker = @worker AND finished_at IS NULL;", connection);
            Key(renew);
            renew.Parameters.AddWithValue("batch", batch ?? -1);
            renew.ExecuteNonQuery();
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            _dataSource.Clear();
            return false;
        }
    }

    /// <summary>What the class has done so far (<see cref="ClassHistory"/>).</summary>
    public ClassHistory History() => Retry("read the campaign", connection =>
    {
        using var select = new NpgsqlCommand(
            $"SELECT line::text FROM {TrialStore.LinesTable} WHERE campaign = @campaign AND machine_class = @class AND line_type = 'trial' " +
            "AND line->>'phase' = 'screen' ORDER BY (line->>'trial')::int, seq", connection);
        Key(select);
        // A record written twice (never, but for a bug) would count twice: the first of each trial number stands.
        var trials = TrialStore.ReadLines(select).Lines.OfType<TrialRecord>().DistinctBy(t => t.Trial).ToList();
        var proposed = new HashSet<string>(StringComparer.Ordinal);
        int inFlight = 0;
        long seenBatch = 0;
        using (var keys = new NpgsqlCommand(
            $"SELECT c.candidate_key, b.done_by IS NULL, c.batch_id FROM {Candidates} c JOIN {Batches} b ON b.id = c.batch_id WHERE c.campaign = @campaign AND c.machine_class = @class", connection))
        {
            Key(keys);
            using var reader = keys.ExecuteReader();
            while (reader.Read())
            {
                proposed.Add(reader.GetString(0));
                if (reader.GetBoolean(1)) inFlight++;
                seenBatch = Math.Max(seenBatch, reader.GetInt64(2));
            }
        }
        TimeSpan since;
        using (var start = new NpgsqlCommand($"SELECT extract(epoch FROM now() - min(started_at))::float8 FROM {Workers} WHERE campaign = @campaign AND machine_class = @class", connection))
        {
            Key(start);
            since = start.ExecuteScalar() is double seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
        }
        return new ClassHistory(trials, proposed, inFlight, since, ConclusionOf(connection), seenBatch);
    });

    /// <summary>Claims the oldest batch of the class that nobody holds (never claimed since its holder's lease ran out), or null.</summary>
    public ClaimedBatch? ClaimOpen() => Retry("claim a batch", connection =>
    {
        using var transaction = connection.BeginTransaction();
        long id;
        using (var claim = new NpgsqlCommand(
            $"UPDATE {Batches} SET claimed_by = @worker, lease_until = now() + @lease WHERE id = (" +
            $"SELECT id FROM {Batches} WHERE campaign = @campaign AND machine_class = @class AND done_by IS NULL AND lease_until < now() " +
            "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id", connection, transaction))
        {
            Key(claim);
            if (claim.ExecuteScalar() is not long claimed) return null;
            id = claimed;
        }
        var batch = new ClaimedBatch(id, CandidatesOf(connection, transaction, id));
        transaction.Commit();
        return batch;
    });

    /// <summary>
    /// Inserts the proposed candidates as a new batch held by this worker, numbering them after the class's last trial;
    /// a candidate the class has already (another worker proposed it first) is left out. Null when none was new.
    /// </summary>
    /// <param name="seen">The history the proposals were made from, kept with the batch so that replay can propose from it again.</param>
    public ClaimedBatch? ProposeAndClaim(IReadOnlyList<Candidate> proposals, ClassHistory? seen = null) => Retry("propose a batch", connection =>
    {
        using var transaction = connection.BeginTransaction();
        using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('autopass propose ' || @campaign || ' ' || @class))", connection, transaction))
        {
            Key(serialize);
            serialize.ExecuteNonQuery();
        }
        int next;
        using (var max = new NpgsqlCommand($"SELECT coalesce(max(trial), 0) + 1 FROM {Candidates} WHERE campaign = @campaign AND machine_class = @class", connection, transaction))
        {
            Key(max);
            next = Convert.ToInt32(max.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        long id;
        using (var batch = new NpgsqlCommand(
            $"INSERT INTO {Batches} (campaign, machine_class, proposed_by, claimed_by, lease_until, created_at, seen_trials, seen_batch, seen_in_flight) " +
            "VALUES (@campaign, @class, @worker, @worker, now() + @lease, now(), @seenTrials, @seenBatch, @seenInFlight) RETURNING id",
            connection, transaction))
        {
            Key(batch);
            batch.Parameters.AddWithValue("seenTrials", (object?)seen?.Trials.Select(t => t.Trial).ToArray() ?? DBNull.Value);
            batch.Parameters.AddWithValue("seenBatch", (object?)seen?.SeenBatch ?? DBNull.Value);
            batch.Parameters.AddWithValue("seenInFlight", (object?)seen?.InFlight ?? DBNull.Value);
            id = (long)batch.ExecuteScalar()!;
        }
        int inserted = 0;
        foreach (var candidate in proposals)
        {
            using var insert = new NpgsqlCommand(
                $"INSERT INTO {Candidates} (campaign, machine_class, candidate_key, trial, batch_id, flags, origin, rationale) " +
                "VALUES (@campaign, @class, @key, @trial, @batch, @flags, @origin, @rationale) ON CONFLICT (campaign, machine_class, candidate_key) DO NOTHING",
                connection, transaction);
            Key(insert);
            insert.Parameters.AddWithValue("key", candidate.Key);
            insert.Parameters.AddWithValue("trial", next);
            insert.Parameters.AddWithValue("batch", id);
            insert.Parameters.Add(new NpgsqlParameter("flags", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(candidate.Flags) });
            insert.Parameters.AddWithValue("origin", candidate.Origin);
            insert.Parameters.AddWithValue("rationale", (object?)candidate.Rationale ?? DBNull.Value);
            if (insert.ExecuteNonQuery() == 1)
            {
                next++;
                inserted++;
            }
        }
        if (inserted == 0)
        {
            transaction.Rollback();
            return null;
        }
        var claimed = new ClaimedBatch(id, CandidatesOf(connection, transaction, id));
        transaction.Commit();
        return claimed;
    });

    /// <summary>
    /// Writes the batch's trials and marks it done, in one transaction: true when they are recorded (now, or by an
    /// earlier attempt of this worker whose answer was lost); false when another worker, which claimed the batch after
    /// this one's lease ran out, recorded it first (these trials are then not written).
    /// </summary>
    public bool Complete(ClaimedBatch batch, IReadOnlyList<TrialRecord> records) => Retry("record a batch", connection =>
    {
        using var transaction = connection.BeginTransaction();
        using (var check = new NpgsqlCommand($"SELECT done_by FROM {Batches} WHERE id = @id FOR UPDATE", connection, transaction))
        {
            check.Parameters.AddWithValue("id", batch.Id);
            if (check.ExecuteScalar() is string doneBy) return doneBy == Worker;
        }
        TrialStore.InsertTagged(connection, transaction, Campaign, _store.RequestKey, records, Worker, ClassKey);
        using (var done = new NpgsqlCommand($"UPDATE {Batches} SET done_by = @worker, done_at = now() WHERE id = @id", connection, transaction))
        {
            done.Parameters.AddWithValue("worker", Worker);
            done.Parameters.AddWithValue("id", batch.Id);
            done.ExecuteNonQuery();
        }
        transaction.Commit();
        return true;
    });

    /// <summary>Gives a batch back to the pool at once (the worker stops before racing it to the end); one attempt, else its lease runs out.</summary>
    public void Release(ClaimedBatch batch)
    {
        try
        {
            using var connection = _dataSource.OpenConnection();
            using var release = new NpgsqlCommand($"UPDATE {Batches} SET lease_until = now() WHERE id = @id AND claimed_by = @worker AND done_by IS NULL", connection);
            release.Parameters.AddWithValue("id", batch.Id);
            release.Parameters.AddWithValue("worker", Worker);
            release.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException) { }
    }

    /// <summary>Writes lines of this worker's own (its session header, compiler, noise and calibration) to the campaign, tagged.</summary>
    public void Share(IReadOnlyList<LedgerLine> lines) => Retry("write the worker's lines", connection =>
    {
        using var transaction = connection.BeginTransaction();
        TrialStore.InsertTagged(connection, transaction, Campaign, _store.RequestKey, lines, Worker, ClassKey);
        transaction.Commit();
        return 0;
    });

    /// <summary>
    /// Takes the class's conclusion: when nobody has, or its holder's lease ran out before it finished; on demand
    /// (<c>autopass conclude</c>), also when it was finished, to conclude again. Null: taken; else who holds it.
    /// </summary>
    public ConclusionHolder? TakeConclusion(bool onDemand) => Retry("take the conclusion", connection =>
    {
        string free = onDemand ? "(c.finished_at IS NOT NULL OR c.lease_until < now())" : "(c.finished_at IS NULL AND c.lease_until < now())";
        using (var take = new NpgsqlCommand(
            $"INSERT INTO {Conclusions} AS c (campaign, machine_class, worker, lease_until) VALUES (@campaign, @class, @worker, now() + @lease) " +
            $"ON CONFLICT (campaign, machine_class) DO UPDATE SET worker = EXCLUDED.worker, lease_until = EXCLUDED.lease_until, finished_at = NULL WHERE {free} " +
            "RETURNING worker", connection))
        {
            Key(take);
            if (take.ExecuteScalar() is string) return null;
        }
        return ConclusionOf(connection);
    });

    /// <summary>Writes the conclusion's lines (its minimization, confirmation and what was pinned) and marks the class concluded, in one transaction.</summary>
    public void FinishConclusion(IReadOnlyList<LedgerLine> lines) => Retry("record the conclusion", connection =>
    {
        using var transaction = connection.BeginTransaction();
        TrialStore.InsertTagged(connection, transaction, Campaign, _store.RequestKey, lines, Worker, ClassKey);
        using (var finish = new NpgsqlCommand($"UPDATE {Conclusions} SET finished_at = now() WHERE campaign = @campaign AND machine_class = @class AND worker = @worker", connection, transaction))
        {
            Key(finish);
            finish.ExecuteNonQuery();
        }
        transaction.Commit();
        return 0;
    });

    public void Dispose() => _store.Dispose();

    private ConclusionHolder? ConclusionOf(NpgsqlConnection connection)
    {
        using var select = new NpgsqlCommand(
            $"SELECT worker, finished_at IS NOT NULL, lease_until >= now() FROM {Conclusions} WHERE campaign = @campaign AND machine_class = @class", connection);
        Key(select);
        using var reader = select.ExecuteReader();
        return reader.Read() ? new ConclusionHolder(reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2)) : null;
    }

    private static List<(int Trial, Candidate Candidate)> CandidatesOf(NpgsqlConnection connection, NpgsqlTransaction transaction, long batch)
    {
        using var select = new NpgsqlCommand($"SELECT trial, flags::text, origin, rationale FROM {Candidates} WHERE batch_id = @batch ORDER BY trial", connection, transaction);
        select.Parameters.AddWithValue("batch", batch);
        using var reader = select.ExecuteReader();
        var candidates = new List<(int, Candidate)>();
        while (reader.Read())
            candidates.Add((reader.GetInt32(0), new Candidate(JsonSerializer.Deserialize<List<string>>(reader.GetString(1))!, reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3))));
        return candidates;
    }

    /// <summary>The parameters every statement of this worker names: its campaign, class, id and lease.</summary>
    private void Key(NpgsqlCommand command)
    {
        command.Parameters.AddWithValue("campaign", Campaign);
        command.Parameters.AddWithValue("class", ClassKey);
        command.Parameters.AddWithValue("worker", Worker);
        command.Parameters.AddWithValue("lease", Lease);
    }

    /// <summary>
    /// Runs one step against the store, again while the store does not answer, for the store's retry window; then
    /// AP2062: the worker stops, and what it held goes back to the pool when its lease runs out.
    /// </summary>
    private T Retry<T>(string what, Func<NpgsqlConnection, T> step)
    {
        var clock = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                using var connection = _dataSource.OpenConnection();
                return step(connection);
            }
            catch (Exception e) when (e is NpgsqlException n && TrialStore.IsConnectionFailure(n) || e is TimeoutException or IOException)
            {
                if (clock.Elapsed >= _store.RetryWindow)
                    throw new AutoPassException(DiagnosticCode.WorkerStoreLost,
                        $"The trial store {Address} stopped answering while worker {Worker} tried to {what} in campaign '{Campaign}', and did not come back within " +
                        $"{_store.RetryWindow.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s ({e.Message}).",
                        "Bring the store back (or check the network to it) and start the worker again: the batch it held goes back to the pool when its lease runs out, and every race recorded before is kept.");
                _dataSource.Clear();
                Thread.Sleep(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
