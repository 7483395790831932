using AutoPass.Core.Diagnostics;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Session;

/// <summary>
/// A baseline run that times out during the A/A calibration (tests/fixtures/cprojects/slowlater: quick once, then
/// hanging, as a run slowed many times over by a busy machine looks), driven through a real session.
/// </summary>
[Trait("Category", "Real")]
public sealed class CalibrationFailureTests : IDisposable
{
    private readonly UnrulyProject _project = new("slowlater");

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_baseline_run_that_times_out_in_the_calibration_is_AP2001_with_its_fix_not_an_unhandled_error()
    {
        var request = _project.Request(new BenchmarkSpec("slowlater", [])) with { MaxTrials = 1, Agents = AgentMode.Builtin, NoNoiseWarnings = true };

        var error = await Assert.ThrowsAsync<AutoPassException>(() => new TuningSession(request, new RecordingDiagnosticSink()).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3)));

        Assert.Equal(DiagnosticCode.BenchmarkFailed, error.Code);
        Assert.StartsWith("The baseline failed during the A/A calibration: slowlater", error.Message);
        Assert.Contains("timed out", error.Message);
        Assert.Contains("Timeout", error.Fix);
    }
}
