using AutoPass.Core.Build;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Build;

/// <summary>A CMake build whose custom command never ends: stopped by the build's time limit, with nothing left running.</summary>
[Trait("Category", "Real")]
public sealed class BuildTimeoutTests : IDisposable
{
    private readonly UnrulyProject _project = new("slowbuild");

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_baseline_build_that_hangs_fails_at_its_time_limit_with_a_clear_error()
    {
        var request = _project.Request(new BenchmarkSpec("slow", []));
        var builder = new CMakeBuilder(new CMakeSettings(request.SourceDir)) { BuildTimeout = TimeSpan.FromSeconds(5) };
        try
        {
            // The bound only turns a hang into a failure.
            var error = await Assert.ThrowsAsync<AutoPassException>(() =>
                new BaselineSetup(request, builder, new ProgramRunner(pinToCore: false), new RecordingDiagnosticSink()).PrepareAsync(CancellationToken.None))
                .WaitAsync(TimeSpan.FromMinutes(3));

            Assert.Equal(DiagnosticCode.BuildTimedOut, error.Code);
            Assert.StartsWith("Building the baseline stopped: the build did not finish within 5 s", error.Message);
            // The custom command's 'sleep 3601' was killed with the build's process tree.
            Assert.True(await ProcessTable.EndWithinAsync(() => ProcessTable.WithCommandLine("sleep", "3601"), TimeSpan.FromSeconds(10)));
        }
        finally
        {
            ProcessTable.Kill(ProcessTable.WithCommandLine("sleep", "3601"));
        }
    }
}
