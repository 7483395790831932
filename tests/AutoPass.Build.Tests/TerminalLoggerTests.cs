using System.Text.RegularExpressions;
using AutoPass.Build.Tests.Infrastructure;

namespace AutoPass.Build.Tests;

/// <summary>
/// What a person sees of a tuning session in a terminal: dotnet build's terminal logger (the default in an
/// interactive terminal), driven for real under a pseudo-terminal by script(1), and the classic logger (-tl:off),
/// on one benchmark of the sample with a two-trial budget.
/// </summary>
public sealed class TerminalLoggerTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly Regex Ansi = new(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x1b\a]*(\x1b\\|\a)|\x1b[=>]", RegexOptions.Compiled);

    private string Sample()
    {
        string source = _temp.CopyFrom(Repo.Sample("kernels"), "kernels");
        string items = $"""<AutoPassBenchmark Include="matmul" Arguments="{SampleScales.Small["matmul"]}" />""";
        return DriverProject.Write(_temp.Path, source, items, "<AutoPassBuildNative>false</AutoPassBuildNative><AutoPassMaxTrials>2</AutoPassMaxTrials>");
    }

    /// <summary>Runs dotnet build in a pseudo-terminal, as typed at a prompt; returns what the terminal got, without escape codes.</summary>
    private CommandResult InTerminal(string project, string loggerSwitch)
    {
        string command = $"stty cols 160 rows 40; dotnet build '{project}' -p:AutoPassTune=true -nodeReuse:false {loggerSwitch}";
        var result = Command.Run("script", ["-qec", command, "/dev/null"], _temp.Path,
            new Dictionary<string, string?> { ["TERM"] = "xterm-256color" }, TimeSpan.FromMinutes(15));
        return result with { Output = Ansi.Replace(result.Output, "") };
    }

    [Fact]
    public void Under_the_terminal_logger_a_session_shows_its_progress_and_its_result()
    {
        var result = InTerminal(Sample(), "-tl:on");

        Assert.True(result.ExitCode == 0, result.ToString());
        // It is the terminal logger that drew this (its closing line), not the classic one.
        Assert.Matches(@"Build succeeded.* in \d+\.\ds", result.Output);
        Assert.DoesNotContain("Time Elapsed", result.Output);
        // That a session runs, and where it is: milestones as they come, the trial and the best so far in the live line.
        Assert.Contains("AutoPass: building the baseline (-O3)", result.Output);
        Assert.Matches(@"AutoPass (trial|race) \d+.*, \d/2 measured, \d+\.\d/30 min, best (none yet|\d\.\d{3}x)", result.Output);
        // The result: flags, speedup with its interval, where the files are.
        Assert.Contains("AutoPass: baseline flags: -O3", result.Output);
        Assert.Matches(@"AutoPass: winning flags: +(none; the baseline is pinned|-\S+)", result.Output);
        Assert.Matches(@"AutoPass: speedup: +\d\.\d{3}x", result.Output);
        Assert.Contains($"AutoPass: pinned:         {Path.Combine(_temp.Path, "autopass")}", result.Output);
        Assert.Contains("AutoPass: summary: ", result.Output);
    }

    [Fact]
    public void With_the_classic_logger_the_same_lines_show()
    {
        var result = InTerminal(Sample(), "-tl:off");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Time Elapsed", result.Output);
        Assert.Contains("AutoPass: building the baseline (-O3)", result.Output);
        Assert.Matches(@"AutoPass: trial \d+ \[\d/2 measured, \d+\.\d of 30 min\] .*; best so far: ", result.Output);
        // The live status is the terminal logger's alone.
        Assert.DoesNotContain("AutoPass status:", result.Output);
        Assert.Contains("AutoPass: baseline flags: -O3", result.Output);
        Assert.Matches(@"AutoPass: speedup: +\d\.\d{3}x", result.Output);
        Assert.Contains("AutoPass: summary: ", result.Output);
        // The machine's noise is one warning per session at most, whatever the benchmarks and arms found.
        var noiseWarnings = Regex.Matches(result.Output, @"warning AP200[46]: .*").Select(m => m.Value.Trim()).Distinct().ToList();
        Assert.True(noiseWarnings.Count <= 1, string.Join("\n", noiseWarnings));
    }
}
