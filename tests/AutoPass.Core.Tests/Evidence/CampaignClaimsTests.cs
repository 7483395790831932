using AutoPass.Core.Check;
using AutoPass.Core.Evidence;
using AutoPass.Core.Search;
using AutoPass.Core.Session;
using AutoPass.Core.Statistics;
using Npgsql;

namespace AutoPass.Core.Tests.Evidence;

/// <summary>
/// The workers' tables of the trial store (<see cref="CampaignClaims"/>) against the real PostgreSQL .ci/postgres starts:
/// proposals settled by the candidate keys, claims under leases, a batch recorded once, one conclusion per class, and a
/// store of the first version brought up to this one.
/// </summary>
[Trait("Category", "Real")]
public sealed class CampaignClaimsTests
{
    private static readonly MachineClass ThisClass = new("Test CPU", 2, 1 << 30, "6.1.0", "gcc", "12.2.0");
    private static readonly MachineClass OtherClass = ThisClass with { CpuModel = "Other CPU" };

    private static CampaignClaims Join(string campaign, MachineClass? machine = null, TimeSpan? lease = null) =>
        CampaignClaims.Join(TrialStore.Open(TestPostgres.Require(), campaign, "key"), machine ?? ThisClass, lease ?? TimeSpan.FromMinutes(1));

    private static readonly Candidate[] Two = [new(["-funroll-loops"], "screen"), new(["-fno-plt"], "screen")];

    [PostgresFact]
    public void Two_workers_proposing_the_same_candidates_insert_them_once_and_the_second_gets_only_what_is_new()
    {
        string campaign = TestPostgres.NewCampaign("propose");
        using var first = Join(campaign);
        using var second = Join(campaign);

        var taken = first.ProposeAndClaim(Two);
        var again = second.ProposeAndClaim(Two);
        var partly = second.ProposeAndClaim([Two[1], new(["-fipa-pta"], "screen")]);

        Assert.Equal([(1, "-funroll-loops"), (2, "-fno-plt")], taken!.Candidates.Select(c => (c.Trial, c.Candidate.Key)));
        Assert.Null(again);
        Assert.Equal([(3, "-fipa-pta")], partly!.Candidates.Select(c => (c.Trial, c.Candidate.Key)));
        // Every candidate proposed is in the class's history, so the search proposes none of them again.
        Assert.Equal(["-fipa-pta", "-fno-plt", "-funroll-loops"], first.History().Proposed.Order());
        Assert.Equal(3, first.History().InFlight);
    }

    [PostgresFact]
    public void A_batch_whose_lease_ran_out_is_claimed_by_another_worker_and_recorded_once()
    {
        string campaign = TestPostgres.NewCampaign("lease");
        using var lost = Join(campaign, lease: TimeSpan.FromSeconds(1));
        using var other = Join(campaign);
        var batch = lost.ProposeAndClaim(Two)!;
        // Held: nobody else may claim it.
        Assert.Null(other.ClaimOpen());

        // The holder stops beating; its lease runs out.
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var reclaimed = other.ClaimOpen();

        Assert.Equal(batch.Id, reclaimed!.Id);
        Assert.True(other.Complete(reclaimed, Records(reclaimed)));
        // The first holder comes back with its own race of the batch: it is not recorded again.
        Assert.False(lost.Complete(batch, Records(batch)));
        // The answer to a recording may be lost: recording again is not a second recording.
        Assert.True(other.Complete(reclaimed, Records(reclaimed)));
        var history = other.History();
        Assert.Equal([1, 2], history.Trials.Select(t => t.Trial));
        Assert.Equal(0, history.InFlight);
        Assert.Equal(2, LineCount(campaign, "trial"));
    }

    [PostgresFact]
    public void A_heartbeat_renews_the_lease_of_the_batch_held()
    {
        string campaign = TestPostgres.NewCampaign("beat");
        using var holder = Join(campaign, lease: TimeSpan.FromSeconds(4));
        using var other = Join(campaign);
        var batch = holder.ProposeAndClaim(Two)!;

        Thread.Sleep(TimeSpan.FromSeconds(3));
        Assert.True(holder.Beat(batch.Id));
        Thread.Sleep(TimeSpan.FromSeconds(3));

        // Past the first lease, within the renewed one: still held.
        Assert.Null(other.ClaimOpen());
    }

    [PostgresFact]
    public void A_class_has_one_conclusion_and_never_reads_another_class_trials()
    {
        string campaign = TestPostgres.NewCampaign("classes");
        using var a = Join(campaign);
        using var b = Join(campaign);
        using var elsewhere = Join(campaign, OtherClass);
        var batch = a.ProposeAndClaim(Two)!;
        a.Complete(batch, Records(batch));

        Assert.Null(a.TakeConclusion(onDemand: false));
        var held = b.TakeConclusion(onDemand: false);

        Assert.Equal(a.Worker, held!.Worker);
        Assert.True(held.Live);
        // Another class has its own candidates, trials and conclusion.
        Assert.Empty(elsewhere.History().Trials);
        Assert.NotNull(elsewhere.ProposeAndClaim(Two));
        Assert.Null(elsewhere.TakeConclusion(onDemand: false));
        // A finished conclusion is not taken again by a worker, but autopass conclude may conclude again.
        a.FinishConclusion([]);
        Assert.True(b.TakeConclusion(onDemand: false)!.Finished);
        Assert.Null(b.TakeConclusion(onDemand: true));
    }

    [PostgresFact]
    public void A_store_of_the_first_version_is_brought_up_to_this_one_and_keeps_its_lines()
    {
        string schema = $"v1_{Guid.NewGuid():N}";
        var builder = new NpgsqlConnectionStringBuilder(TestPostgres.Require());
        using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            connection.Open();
            // The tables as version 1 made them, with one line of a session.
            using var create = new NpgsqlCommand(
                $"CREATE SCHEMA {schema}; SET search_path TO {schema};" +
                "CREATE TABLE autopass_store_version (version integer NOT NULL); INSERT INTO autopass_store_version VALUES (1);" +
                "CREATE TABLE autopass_ledger_lines (campaign text NOT NULL, request_key text NOT NULL, seq bigint NOT NULL, line_type text NOT NULL, " +
                "schema_version integer NOT NULL, line jsonb NOT NULL, written_at timestamptz NOT NULL, PRIMARY KEY (campaign, seq));" +
                "INSERT INTO autopass_ledger_lines VALUES ('old', 'key', 1, 'compiler', 2, " +
                "'{\"type\":\"compiler\",\"id\":\"gcc\",\"version\":\"12.2.0\",\"path\":\"/usr/bin/gcc\",\"versionText\":\"gcc 12.2.0\",\"options\":400}', now());", connection);
            create.ExecuteNonQuery();
        }
        builder.SearchPath = schema;

        using (var store = TrialStore.Open(builder.ConnectionString, "old", "key"))
        {
            Assert.IsType<CompilerLine>(Assert.Single(store.Lines().Lines));
            using var claims = CampaignClaims.Join(TrialStore.Open(builder.ConnectionString, "old", "key"), ThisClass, TimeSpan.FromMinutes(1));
            Assert.NotNull(claims.ProposeAndClaim(Two));
        }
        using var check = new NpgsqlConnection(builder.ConnectionString);
        check.Open();
        using var version = new NpgsqlCommand("SELECT version FROM autopass_store_version", check);
        Assert.Equal(TrialStore.TablesVersion, version.ExecuteScalar());
        using var drop = new NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", check);
        drop.ExecuteNonQuery();
    }

    /// <summary>Screening records of a batch's candidates, as a race would make them.</summary>
    private static List<TrialRecord> Records(ClaimedBatch batch) => batch.Candidates.Select(c => new TrialRecord
    {
        Trial = c.Trial, Phase = TrialPhase.Screen, Flags = c.Candidate.Flags, Origin = c.Candidate.Origin, BuildStatus = BuildStatus.Ok,
        OutputCheck = OutputCheckStatus.Equal, BinaryHash = c.Candidate.Key,
        Verdict = new SpeedupVerdict(1.0, 0.99, 1.01, 0.95, SpeedupDecision.NotFaster, 6),
    }).ToList();

    private static long LineCount(string campaign, string type)
    {
        using var connection = new NpgsqlConnection(TestPostgres.Require());
        connection.Open();
        using var count = new NpgsqlCommand("SELECT count(*) FROM autopass_ledger_lines WHERE campaign = @campaign AND line_type = @type", connection);
        count.Parameters.AddWithValue("campaign", campaign);
        count.Parameters.AddWithValue("type", type);
        return (long)count.ExecuteScalar()!;
    }
}
