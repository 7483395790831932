using AutoPass.Core.Diagnostics;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Session;

public sealed class WorkerSessionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-worker-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_worker_or_conclude_without_a_store_is_AP1062_before_anything_is_built(bool concludeNow)
    {
        var request = new TuningRequest
        {
            SourceDir = _dir, OutputDir = Path.Combine(_dir, "pinned"), IntermediateDir = Path.Combine(_dir, "obj"),
            Benchmarks = [new BenchmarkSpec("ok", [])], Worker = true,
        };

        var error = await Assert.ThrowsAsync<AutoPassException>(() => new WorkerSession(request, new RecordingDiagnosticSink()).RunAsync(concludeNow, CancellationToken.None));

        Assert.Equal(DiagnosticCode.WorkerWithoutStore, error.Code);
        Assert.Contains("AutoPassStore", error.Fix);
        Assert.False(Directory.Exists(request.IntermediateDir));
    }

    [PostgresFact]
    [Trait("Category", "Real")]
    public async Task Conclude_of_a_campaign_without_a_trial_of_this_class_is_AP2064_and_leaves_the_conclusion_free()
    {
        CProjectFixtures.CopyTo("faulty", _dir);
        var request = new TuningRequest
        {
            SourceDir = Path.Combine(_dir, "faulty"), OutputDir = Path.Combine(_dir, "pinned"), IntermediateDir = Path.Combine(_dir, "obj"),
            Benchmarks = [new BenchmarkSpec("ok", [])], Agents = AgentMode.Builtin, TuneScope = TuneScope.Project, Objective = MeasurementObjective.Instructions,
            NoNoiseWarnings = true, Store = TestPostgres.Require(), Campaign = TestPostgres.NewCampaign("empty"), Conclude = true,
        };

        var error = await Assert.ThrowsAsync<AutoPassException>(() => new WorkerSession(request, new RecordingDiagnosticSink()).RunAsync(concludeNow: true, CancellationToken.None));

        Assert.Equal(DiagnosticCode.NothingToConclude, error.Code);
        Assert.False(File.Exists(Path.Combine(request.OutputDir, "autopass.lock.json")));
        using var connection = new Npgsql.NpgsqlConnection(request.Store);
        connection.Open();
        using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM autopass_conclusions WHERE campaign = @campaign", connection);
        count.Parameters.AddWithValue("campaign", request.Campaign!);
        Assert.Equal(0L, count.ExecuteScalar());
    }
}
