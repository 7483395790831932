using System.Diagnostics;
using AutoPass.Core.Build;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Measurement;

/// <summary>Tests that measure this process's own memory, run while no other test allocates.</summary>
[CollectionDefinition(nameof(AloneInTheProcess), DisableParallelization = true)]
public sealed class AloneInTheProcess;

/// <summary>A benchmark that prints gigabytes, set up as a real baseline: stopped at the limit, in bounded memory.</summary>
[Trait("Category", "Real")]
[Collection(nameof(AloneInTheProcess))]
public sealed class LargeOutputTests : IDisposable
{
    private const long MiB = 1 << 20;
    private readonly UnrulyProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_baseline_printing_3_GB_is_stopped_at_the_limit_with_a_clear_error_in_bounded_memory()
    {
        var request = _project.Request(new BenchmarkSpec("flood", ["3000000000"]));
        var setup = new BaselineSetup(request, new CMakeBuilder(new CMakeSettings(request.SourceDir)), new ProgramRunner(pinToCore: false), new RecordingDiagnosticSink());
        using var process = Process.GetCurrentProcess();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long workingSetBefore = process.WorkingSet64;
        long peakWorkingSet = workingSetBefore;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                await Task.Delay(20);
            }
        });

        var error = await Assert.ThrowsAsync<AutoPassException>(() => setup.PrepareAsync(CancellationToken.None)).WaitAsync(TimeSpan.FromMinutes(5));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        stop.Cancel();
        await sampler;

        Assert.Equal(DiagnosticCode.BenchmarkOutputTooLarge, error.Code);
        Assert.Equal("The baseline of flood 3000000000 printed more than 1 GiB to stdout; AutoPass stopped it there.", error.Message);
        // It went through at least the whole gibibyte, and neither kept it nor anything near it.
        Assert.True(allocated < 200 * MiB, $"{allocated / MiB} MiB allocated while reading 1 GiB of output");
        Assert.True(peakWorkingSet - workingSetBefore < 200 * MiB, $"the working set grew by {(peakWorkingSet - workingSetBefore) / MiB} MiB");
    }
}
