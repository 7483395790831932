using System.Diagnostics;
using System.Text;
using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Tests.Evidence;
using Npgsql;

namespace AutoPass.Build.Tests;

/// <summary>
/// Workers of one campaign (autopass tune --worker) as real processes of the built program, against the real PostgreSQL
/// .ci/postgres starts (AUTOPASS_TEST_PG), on copies of a small C project with the deterministic instructions objective:
/// a worker killed mid-batch, a store lost for a while, every worker killed and started again, two campaigns in one
/// store. Leases are a few seconds here (AUTOPASS_WORKER_LEASE_SECONDS), so a lost worker's batch comes back soon.
/// </summary>
public sealed class WorkerFaultTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly List<WorkerProcess> _workers = [];

    public void Dispose()
    {
        foreach (var worker in _workers) worker.Dispose();
        _temp.Dispose();
    }

    private static string Store => TrialStoreCliTests.RequireStore();

    /// <summary>Starts a worker on its own copy of the project (one per machine of a pool), through <paramref name="store"/>.</summary>
    private WorkerProcess Start(string name, string campaign, int maxTrials, string? store = null)
    {
        string source = Path.Combine(_temp.Path, name, "faulty");
        if (!Directory.Exists(source)) _temp.CopyFrom(Repo.Fixture("faulty"), Path.Combine(name, "faulty"));
        var worker = WorkerProcess.Start(_temp.Path,
        [
            "tune", "--source", source, "--benchmark", "ok", "--max-trials", maxTrials.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--race-size", "2", "--agents", "builtin", "--tune-scope", "project", "--objective", "instructions", "--no-noise-warnings",
            "--store", store ?? Store, "--campaign", campaign, "--worker",
        ]);
        _workers.Add(worker);
        return worker;
    }

    [TrialStoreCliTests.PostgresFact]
    public void A_worker_killed_mid_batch_loses_its_batch_to_another_worker_and_nothing_is_measured_twice_or_lost()
    {
        string campaign = $"killed-{Guid.NewGuid():N}";
        var first = Start("first", campaign, maxTrials: 6);
        var (batch, holder) = WaitFor(() => OpenBatch(campaign), first, "the first worker to hold a batch");

        first.Kill();
        var second = Start("second", campaign, maxTrials: 6);

        Assert.True(second.WaitForExit() == 0, second.Output);
        Assert.Contains("concluded class", second.Output);
        // The killed worker's batch was raced and recorded by the other one, once its lease ran out.
        string doneBy = Scalar<string>("SELECT done_by FROM autopass_batches WHERE id = @id", ("id", batch));
        Assert.NotEqual(holder, doneBy);
        AssertEveryCandidateRecordedOnce(campaign);
        Assert.True(File.Exists(Path.Combine(_temp.Path, "second", "faulty", "autopass", "autopass.lock.json")));
    }

    [TrialStoreCliTests.PostgresFact]
    public void Workers_wait_while_the_store_is_unreachable_and_go_on_when_it_is_back()
    {
        string campaign = $"unreachable-{Guid.NewGuid():N}";
        var direct = new NpgsqlConnectionStringBuilder(Store);
        using var relay = new TcpRelay(direct.Host!, direct.Port);
        string throughRelay = new NpgsqlConnectionStringBuilder(Store) { Host = "127.0.0.1", Port = relay.Port }.ConnectionString;
        var worker = Start("worker", campaign, maxTrials: 6, store: throughRelay);
        WaitFor(() => DoneBatches(campaign) > 0 ? 1 : (int?)null, worker, "a first batch recorded");

        relay.Cut();
        long doneWhileCut = DoneBatches(campaign);
        // Longer than a race of this project: the worker finishes one while the store is gone, and waits to record it.
        Thread.Sleep(TimeSpan.FromSeconds(12));
        Assert.Equal(doneWhileCut, DoneBatches(campaign));
        Assert.False(worker.HasExited, worker.Output);
        relay.Restore();

        Assert.True(worker.WaitForExit() == 0, worker.Output);
        Assert.Contains("concluded class", worker.Output);
        Assert.DoesNotContain("error AP", worker.Output);
        Assert.True(DoneBatches(campaign) > doneWhileCut);
        AssertEveryCandidateRecordedOnce(campaign);
    }

    [TrialStoreCliTests.PostgresFact]
    public void Two_workers_at_once_never_measure_a_flag_set_twice_and_when_all_are_killed_and_started_again_the_campaign_concludes()
    {
        string campaign = $"restart-{Guid.NewGuid():N}";
        var a = Start("a", campaign, maxTrials: 10);
        var b = Start("b", campaign, maxTrials: 10);
        WaitFor(() => DoneBatches(campaign) > 0 && OpenBatch(campaign) is not null ? 1 : (int?)null, a, "a batch recorded and another held");

        a.Kill();
        b.Kill();
        var recordedBefore = TrialLines(campaign);
        var again = new[] { Start("a", campaign, maxTrials: 10), Start("b", campaign, maxTrials: 10) };

        foreach (var worker in again) Assert.True(worker.WaitForExit() == 0, worker.Output);
        // One of the restarted workers concluded; the other stopped for it.
        Assert.Single(again, w => w.Output.Contains("concluded class", StringComparison.Ordinal));
        Assert.Single(again, w => w.Output.Contains("this worker stops", StringComparison.Ordinal));
        // What the killed workers recorded stays, and counts: nothing was measured again.
        Assert.Empty(recordedBefore.Except(TrialLines(campaign)));
        AssertEveryCandidateRecordedOnce(campaign);
        Assert.Equal(1L, Scalar<long>("SELECT count(*) FROM autopass_conclusions WHERE campaign = @campaign AND finished_at IS NOT NULL", ("campaign", campaign)));

        // The campaign replays from the store alone, batch for batch: each proposed again from the history its proposer saw.
        var replay = Replay(campaign, maxTrials: 10);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        var counted = System.Text.RegularExpressions.Regex.Match(replay.ToString(), @"replayed (\d+) decisions .*: (\d+) matched the workers");
        Assert.True(counted.Success, replay.ToString());
        Assert.Equal(Scalar<long>("SELECT count(*) FROM autopass_candidates WHERE campaign = @campaign", ("campaign", campaign)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            counted.Groups[1].Value);
        Assert.Equal(counted.Groups[1].Value, counted.Groups[2].Value);
        // A candidate the search would not have proposed there is a divergence.
        Assert.Equal(1, Scalar<int>("WITH changed AS (UPDATE autopass_candidates SET candidate_key = candidate_key || ' -fno-tampered' " +
            "WHERE campaign = @campaign AND trial = (SELECT max(trial) FROM autopass_candidates WHERE campaign = @campaign) RETURNING 1) SELECT count(*)::int FROM changed", ("campaign", campaign)));
        var tampered = Replay(campaign, maxTrials: 10);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("AP3004", tampered.ToString());
        Assert.Contains("-fno-tampered", tampered.ToString());
    }

    /// <summary>autopass replay of a workers' campaign, with the settings its workers ran with.</summary>
    private CommandResult Replay(string campaign, int maxTrials) =>
        Command.AutoPass(_temp.Path, "replay", "--source", Path.Combine(_temp.Path, "a", "faulty"), "--benchmark", "ok",
            "--max-trials", maxTrials.ToString(System.Globalization.CultureInfo.InvariantCulture), "--race-size", "2", "--agents", "builtin",
            "--tune-scope", "project", "--objective", "instructions", "--no-noise-warnings", "--store", Store, "--campaign", campaign);

    [TrialStoreCliTests.PostgresFact]
    public void Two_campaigns_in_one_store_are_kept_apart_and_conclude_pins_one_again_on_another_machine()
    {
        string x = $"apart-x-{Guid.NewGuid():N}", y = $"apart-y-{Guid.NewGuid():N}";
        var inX = Start("x", x, maxTrials: 4);
        var inY = Start("y", y, maxTrials: 4);

        Assert.True(inX.WaitForExit() == 0, inX.Output);
        Assert.True(inY.WaitForExit() == 0, inY.Output);
        Assert.Contains("concluded class", inX.Output);
        Assert.Contains("concluded class", inY.Output);
        // Each campaign's lines are its own worker's, numbered from 1, and each measured its own first batch: the same
        // candidates (the same seed over an empty history), as a flag set is unique within a campaign only.
        foreach (var campaign in new[] { x, y })
        {
            Assert.Equal(1L, Scalar<long>("SELECT count(DISTINCT worker) FROM autopass_ledger_lines WHERE campaign = @campaign", ("campaign", campaign)));
            Assert.Equal(1, Scalar<int>("SELECT min(trial) FROM autopass_candidates WHERE campaign = @campaign", ("campaign", campaign)));
            AssertEveryCandidateRecordedOnce(campaign);
        }
        Assert.NotEqual(Scalar<string>("SELECT min(worker) FROM autopass_ledger_lines WHERE campaign = @campaign", ("campaign", x)),
            Scalar<string>("SELECT min(worker) FROM autopass_ledger_lines WHERE campaign = @campaign", ("campaign", y)));
        Assert.Equal(FirstBatch(x), FirstBatch(y));

        // Another machine of the class concludes campaign x on demand: the same winner, confirmed afresh there, pinned there.
        string again = _temp.CopyFrom(Repo.Fixture("faulty"), Path.Combine("x-again", "faulty"));
        var conclude = Command.AutoPass(_temp.Path, "conclude", "--source", again, "--benchmark", "ok", "--max-trials", "4", "--race-size", "2",
            "--agents", "builtin", "--tune-scope", "project", "--objective", "instructions", "--no-noise-warnings", "--store", Store, "--campaign", x);
        Assert.True(conclude.ExitCode == 0, conclude.ToString());
        string pinnedByWorker = PinnedFlags(Path.Combine(_temp.Path, "x", "faulty"));
        // Pinned for the class the worker pooled its trials in, by its key.
        string classKey = System.Text.RegularExpressions.Regex.Match(inX.Output, @"machine class (\S+) \(").Groups[1].Value;
        Assert.Matches("^[a-z0-9][a-z0-9._-]*-[0-9]+c-[a-z]+-[0-9.]+$", classKey);
        Assert.Equal(classKey, PinnedClass(Path.Combine(_temp.Path, "x", "faulty")));
        Assert.NotEqual("", pinnedByWorker);
        Assert.Equal(pinnedByWorker, PinnedFlags(again));
        Assert.Equal(1L, Scalar<long>("SELECT count(*) FROM autopass_conclusions WHERE campaign = @campaign AND finished_at IS NOT NULL", ("campaign", x)));
    }

    private static string? PinnedClass(string source)
    {
        using var lockFile = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(source, "autopass", "autopass.lock.json")));
        return lockFile.RootElement.GetProperty("machineClass").GetProperty("name").GetString();
    }

    private static string PinnedFlags(string source)
    {
        using var lockFile = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(source, "autopass", "autopass.lock.json")));
        return string.Join(' ', lockFile.RootElement.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    /// <summary>
    /// Every candidate proposed in the campaign has exactly one screening trial line, under its trial number and with its
    /// flags, and no flag set has two: nothing lost, nothing measured twice.
    /// </summary>
    private static void AssertEveryCandidateRecordedOnce(string campaign)
    {
        var candidates = Rows(campaign, "SELECT trial, candidate_key FROM autopass_candidates WHERE campaign = @campaign ORDER BY trial",
            r => (r.GetInt32(0), r.GetString(1)));
        var recorded = Rows(campaign,
            "SELECT (line->>'trial')::int, (SELECT string_agg(f, ' ' ORDER BY o) FROM jsonb_array_elements_text(line->'flags') WITH ORDINALITY AS x(f, o)) " +
            "FROM autopass_ledger_lines WHERE campaign = @campaign AND line_type = 'trial' AND line->>'phase' = 'screen' ORDER BY 1",
            r => (r.GetInt32(0), r.GetString(1)));
        Assert.NotEmpty(candidates);
        Assert.Equal(candidates, recorded);
        Assert.Equal(recorded.Count, recorded.Select(r => r.Item2).Distinct().Count());
    }

    private static List<string> TrialLines(string campaign) =>
        Rows(campaign, "SELECT line::text FROM autopass_ledger_lines WHERE campaign = @campaign AND line_type = 'trial' ORDER BY seq", r => r.GetString(0));

    private static List<string> FirstBatch(string campaign) =>
        Rows(campaign, "SELECT candidate_key FROM autopass_candidates WHERE campaign = @campaign AND batch_id = (SELECT min(batch_id) FROM autopass_candidates WHERE campaign = @campaign) ORDER BY trial",
            r => r.GetString(0));

    private static long DoneBatches(string campaign) =>
        Scalar<long>("SELECT count(*) FROM autopass_batches WHERE campaign = @campaign AND done_by IS NOT NULL", ("campaign", campaign));

    /// <summary>A batch of the campaign held and not done yet, with its holder; null when there is none.</summary>
    private static (long Id, string Holder)? OpenBatch(string campaign) =>
        Rows(campaign, "SELECT id, claimed_by FROM autopass_batches WHERE campaign = @campaign AND done_by IS NULL ORDER BY id LIMIT 1",
            r => ((long, string)?)(r.GetInt64(0), r.GetString(1))).FirstOrDefault();

    private static T WaitFor<T>(Func<T?> probe, WorkerProcess worker, string what) where T : struct
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(4))
        {
            try
            {
                if (probe() is { } found) return found;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // A fresh store: the workers create the tables when they join.
            }
            Assert.False(worker.HasExited, $"the worker ended before {what}:\n{worker.Output}");
            Thread.Sleep(100);
        }
        throw new TimeoutException($"no {what} within 4 minutes:\n{worker.Output}");
    }

    private static T Scalar<T>(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new NpgsqlConnection(Store);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)command.ExecuteScalar()!;
    }

    private static List<T> Rows<T>(string campaign, string sql, Func<NpgsqlDataReader, T> read)
    {
        using var connection = new NpgsqlConnection(Store);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("campaign", campaign);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }

    /// <summary>A worker: the built autopass program running in the background, its output collected, killed with its children when asked.</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly Lock _gate = new();

        private WorkerProcess(Process process) => _process = process;

        public string Output
        {
            get { lock (_gate) return _output.ToString(); }
        }

        public bool HasExited => _process.HasExited;

        public static WorkerProcess Start(string workingDirectory, IEnumerable<string> arguments)
        {
            var info = new ProcessStartInfo(Command.DotnetHost)
            {
                WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(Repo.CliPath);
            foreach (var a in arguments) info.ArgumentList.Add(a);
            info.Environment["DOTNET_NOLOGO"] = "1";
            info.Environment["TERM"] = "dumb";
            info.Environment["OLLAMA_HOST"] = "http://127.0.0.1:9";
            info.Environment.Remove("GITHUB_STEP_SUMMARY");
            // Short leases: a killed worker's batch goes back to the pool within seconds.
            info.Environment["AUTOPASS_WORKER_LEASE_SECONDS"] = "6";
            info.Environment["AUTOPASS_WORKER_BEAT_SECONDS"] = "2";
            var worker = new WorkerProcess(Process.Start(info)!);
            worker._process.OutputDataReceived += (_, e) => worker.Append(e.Data);
            worker._process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
            worker._process.BeginOutputReadLine();
            worker._process.BeginErrorReadLine();
            return worker;
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_gate) _output.AppendLine(line);
        }

        /// <summary>Kills the worker and everything it started (builds, benchmark runs), as a lost machine stops.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public int WaitForExit()
        {
            if (!_process.WaitForExit(TimeSpan.FromMinutes(6)))
            {
                Kill();
                throw new TimeoutException($"the worker did not finish within 6 minutes:\n{Output}");
            }
            _process.WaitForExit();
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited) Kill();
            _process.Dispose();
        }
    }
}
