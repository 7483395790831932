using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;

namespace AutoPass.Build.Tests;

/// <summary>
/// autopass tune and replay with --store, against the real PostgreSQL .ci/postgres starts (AUTOPASS_TEST_PG): the
/// program as a team runs it on a machine of its pool.
/// </summary>
public sealed class TrialStoreCliTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Skipped without AUTOPASS_TEST_PG on a developer's machine; under CI=true it runs, and fails.</summary>
    public sealed class PostgresFactAttribute : FactAttribute
    {
        public PostgresFactAttribute()
        {
            if (Store is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Skip = "No PostgreSQL for the trial store's tests: run eval \"$(.ci/postgres start)\" to start one (AUTOPASS_TEST_PG), as .ci/run does.";
        }
    }

    private static string? Store => Environment.GetEnvironmentVariable("AUTOPASS_TEST_PG") is { Length: > 0 } text ? text : null;

    internal static string RequireStore() => Store
        ?? throw new InvalidOperationException("CI=true but AUTOPASS_TEST_PG is not set: .ci/run starts a PostgreSQL with .ci/postgres and exports it.");

    private static string[] Project(string source) =>
        ["--source", source, "--benchmark", "ok", "--max-trials", "2", "--race-size", "2", "--agents", "builtin", "--tune-scope", "project"];

    [PostgresFact]
    public void Replay_of_a_campaign_from_the_store_on_a_machine_without_the_ledger_prints_what_replay_of_the_ledger_prints()
    {
        string store = RequireStore();
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        string campaign = $"cli-{Guid.NewGuid():N}";

        var tune = Command.AutoPass(_temp.Path, [.. new[] { "tune" }, .. Project(source), "--store", store, "--campaign", campaign]);
        Assert.True(tune.ExitCode == 0, tune.ToString());
        Assert.Contains($"trial store: writing campaign '{campaign}' to {TrialStore.Mask(store)}", tune.Output);
        Assert.DoesNotContain(Password(store), tune.Output);

        var fromLedger = Command.AutoPass(_temp.Path, [.. new[] { "replay" }, .. Project(source)]);
        // Another machine of the pool: no ledger here.
        string ledger = Path.Combine(source, "obj", "autopass", "ledger.jsonl");
        File.Delete(ledger);
        var fromStore = Command.AutoPass(_temp.Path, [.. new[] { "replay" }, .. Project(source), "--store", store, "--campaign", campaign]);

        Assert.True(fromLedger.ExitCode == 0, fromLedger.ToString());
        Assert.True(fromStore.ExitCode == 0, fromStore.ToString());
        Assert.Matches(@"AutoPass: replayed [1-9]\d* decisions from ", fromStore.Output);
        // The same lines, but for where the session's lines came from.
        Assert.Equal(fromLedger.Output.Replace(ledger, "<lines>", StringComparison.Ordinal),
            fromStore.Output.Replace($"campaign '{campaign}' of the trial store {TrialStore.Mask(store)}", "<lines>", StringComparison.Ordinal));
        Assert.DoesNotContain(Password(store), fromStore.Output);
    }

    [PostgresFact]
    public void Replay_of_a_workers_campaign_with_no_batch_is_AP1063()
    {
        string store = RequireStore();
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        string campaign = $"workers-{Guid.NewGuid():N}";
        using (var lines = TrialStore.Open(store, campaign, "key"))
            lines.Append(new SessionLine
            {
                RequestKey = "key", Tool = AutoPass.Core.Workload.ToolVersion.Current, SourceDir = source, BaselineFlags = ["-O3"], Benchmarks = ["ok"],
                Note = SessionJournal.WorkerNote, At = DateTimeOffset.UtcNow,
            });

        var replay = Command.AutoPass(_temp.Path, [.. new[] { "replay" }, .. Project(source), "--store", store, "--campaign", campaign]);

        replay.AssertFailsWith(DiagnosticCode.WorkersCampaignWithoutBatches, "proposed a batch");
    }

    [Fact]
    public void Tune_with_an_unreachable_store_is_AP2060_with_the_password_masked()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");

        var tune = Command.AutoPass(_temp.Path, [.. new[] { "tune" }, .. Project(source),
            "--store", "Host=127.0.0.1;Port=1;Database=autopass;Username=tuner;Password=hunter2-secret"]);

        tune.AssertFailsWith(DiagnosticCode.StoreUnreachable, "Password=***");
        Assert.DoesNotContain("hunter2-secret", tune.Output);
        Assert.False(File.Exists(Path.Combine(source, "obj", "autopass", "ledger.jsonl")), "the session started before it found the store unreachable");
    }

    private static string Password(string store) => new Npgsql.NpgsqlConnectionStringBuilder(store).Password!;
}
