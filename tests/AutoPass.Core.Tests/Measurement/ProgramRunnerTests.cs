using AutoPass.Core.Measurement;

namespace AutoPass.Core.Tests.Measurement;

/// <summary>Real benchmark programs that leave processes behind, run through the runner that times them.</summary>
[Trait("Category", "Real")]
public sealed class ProgramRunnerTests : IDisposable
{
    private readonly UnrulyProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_child_left_holding_stdout_after_the_benchmark_exits_is_killed_and_the_run_returns()
    {
        string forker = await _project.BuildAsync("forker");

        // The bound only turns a hang into a failure: the run itself ends as soon as forker does.
        var run = await new ProgramRunner(pinToCore: false).RunAsync(forker, [], _project.SourceDir, 0, TimeSpan.FromMinutes(1), CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(1));

        int sleeper = int.Parse(run.StandardOutput.Text.Trim().Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            Assert.True(run.Succeeded, run.FailureText);
            Assert.False(run.TimedOut);
            Assert.Equal($"started sleep {sleeper}\n", run.StandardOutput.Text);
            // forker's child, 'sleep 3600', died with forker's process group.
            Assert.True(await ProcessTable.EndWithinAsync(() => ProcessTable.IsAlive(sleeper) ? [sleeper] : [], TimeSpan.FromSeconds(10)));
        }
        finally
        {
            ProcessTable.Kill([sleeper]);
        }
    }

    [LinuxFact]
    public async Task A_child_that_calls_setsid_and_spins_is_killed_when_the_run_ends()
    {
        string detacher = await _project.BuildAsync("detacher");
        string programs = Path.GetDirectoryName(detacher)!;

        var run = await new ProgramRunner(pinToCore: false).RunAsync(detacher, [], _project.SourceDir, 0, TimeSpan.FromMinutes(1), CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(1));

        try
        {
            Assert.True(run.Succeeded, run.FailureText);
            Assert.StartsWith("detached ", run.StandardOutput.Text);
            // The child left the run's process group and session, so the group kill missed it; the run's mark did not.
            Assert.True(await ProcessTable.EndWithinAsync(() => ProcessTable.RunningFrom(programs), TimeSpan.FromSeconds(10)),
                "still running: " + string.Join(", ", ProcessTable.RunningFrom(programs)));
            // It held stdout open: gone with it, the pipes closed without the grace period.
            Assert.False(run.OutputHeldOpen);
        }
        finally
        {
            ProcessTable.Kill(ProcessTable.RunningFrom(programs));
        }
    }
}
