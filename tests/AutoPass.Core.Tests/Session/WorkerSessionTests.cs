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
}
