using System.Globalization;
using System.Text.RegularExpressions;
using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;

namespace AutoPass.Build.Tests;

/// <summary>
/// The CI step summary: a real session and real verify runs append markdown to the file GITHUB_STEP_SUMMARY names,
/// or to AutoPassSummaryFile, with the result, its interval, what was pinned and what it cost; verify says what is
/// stale and the command that fixes it.
/// </summary>
public sealed class StepSummaryTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Pinned => _temp["autopass"];

    private static string InstalledGccVersion() => TunedLock.InstalledVersion("gcc");

    private static LockFile PinnedFor(string range) => TunedLock.For("gcc", ["-O3"], ["-funroll-loops"], range);

    private static string CurrentRange() => TunedLock.MajorRange(InstalledGccVersion());

    [Fact]
    public void A_session_appends_its_result_interval_pinned_flags_and_cost_to_GITHUB_STEP_SUMMARY()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        string summary = _temp["step-summary.md"];
        File.WriteAllText(summary, "# An earlier step\n");
        string request = Requests.Write(_temp.Path, new
        {
            sourceDir = source,
            outputDir = Pinned,
            intermediateDir = _temp["obj"],
            benchmarks = new[] { Requests.Benchmark("ok") },
            settings = new Dictionary<string, string> { ["maxTrials"] = "2", ["agents"] = "builtin" },
        });

        var result = Command.AutoPass(_temp.Path, new Dictionary<string, string?> { ["GITHUB_STEP_SUMMARY"] = summary }, "tune", "--request", request);

        Assert.True(result.ExitCode == 0, result.ToString());
        string markdown = File.ReadAllText(summary);
        var pinned = LockFile.Parse(File.ReadAllText(Path.Combine(Pinned, PinnedFiles.LockName)));
        // Appended: the earlier step's summary stays.
        Assert.StartsWith("# An earlier step\n", markdown);
        Assert.Contains("## AutoPass: tuning `faulty`", markdown);
        if (pinned.Outcome == "improved")
        {
            Assert.Contains($"| Result | **improved**: `{string.Join(' ', pinned.Flags)}` pinned on top of `-O3` |", markdown);
            var s = pinned.Speedup!;
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"**{s.Estimate:0.000}x**, 95% interval {s.Low:0.000}–{s.High:0.000}"), markdown);
        }
        else
        {
            Assert.Contains("| Result | **baseline kept**: `-O3` is pinned, no flags added |", markdown);
            // The reason may quote a verdict ("1.01x [0.99, 1.03]"), whose brackets the summary escapes.
            Assert.Contains($"| Why | {AutoPass.Core.Reporting.MarkdownSummary.Text(pinned.Reason)} |", markdown);
        }
        Assert.Contains($"| Compiler | gcc {pinned.Compiler.Version}, pinned for `{pinned.Compiler.VersionRange}` |", markdown);
        Assert.Matches($@"\| Trials \| {pinned.Trials} of 2(, \d+ reused identical binaries)? \|", markdown);
        Assert.Matches(@"\| Cost \| \d+ candidates timed in [\d.]+ min \([\d.]+ a minute\), \d+ races, median [\d.]+ pairs each, \d+ builds in \d+ s \([\d.]+ s of building a timed candidate\) \|", markdown);
        // Paths relative to where the command ran, as a CI log reader wants them.
        Assert.Contains("| Pinned files | `autopass` (autopass.props, autopass.cmake, autopass.lock.json): check them in |", markdown);
        Assert.Contains($"Report: `{Path.Combine("obj", "report.html")}`", markdown);
    }

    /// <summary>Runs autopass verify on the pinned folder with AutoPassSummaryFile set; returns the run and the summary's path.</summary>
    private (CommandResult Result, string Summary) VerifyWithSummaryFile()
    {
        string summary = _temp["ci/summary.md"];
        string request = Requests.Write(_temp.Path, new
        {
            sourceDir = _temp.Path,
            outputDir = Pinned,
            intermediateDir = _temp["obj"],
            settings = new Dictionary<string, string> { ["summaryFile"] = summary },
        });
        return (Command.AutoPass(_temp.Path, "verify", "--request", request), summary);
    }

    [Fact]
    public void Verify_of_stale_flags_writes_what_is_stale_and_the_command_that_fixes_it_to_AutoPassSummaryFile()
    {
        PinnedFiles.Write(Pinned, PinnedFor("[1.0.0, 2.0.0)"));
        var (result, summary) = VerifyWithSummaryFile();

        Assert.True(result.ExitCode == 1, result.ToString());
        string markdown = File.ReadAllText(summary);
        Assert.Contains($"## AutoPass verify: the pinned flags of `{Path.GetFileName(_temp.Path)}` are stale", markdown);
        Assert.Contains($"Pinned: `-O3 -funroll-loops` for gcc `[1.0.0, 2.0.0)`", markdown);
        Assert.Contains($"installed: gcc {InstalledGccVersion()}", markdown);
        Assert.Contains($"- [AP5002]({DiagnosticCode.HelpLink("AP5002")}): The flags were tuned for gcc", markdown);
        // The command that fixes it, runnable as it stands: paths relative to where verify ran.
        Assert.Matches(@"```sh\ndotnet build \. -p:AutoPassTune=true .*\ngit add autopass && git commit", markdown);
    }

    [Fact]
    public void Verify_passes_a_hot_file_whose_code_changed_and_lists_the_warning_in_the_summary()
    {
        string kernel = _temp["kernel.c"];
        File.WriteAllText(kernel, "int kernel(int n) { return n * 2; }\n");
        var tuned = new LockSourceFile("kernel.c", ["-funroll-loops"], LockSourceFile.HashOf(kernel), 0.93, LockSourceFile.CodeHashOf(kernel));
        File.WriteAllText(kernel, "int kernel(int n) { return n * 3; }\n");
        PinnedFiles.Write(Pinned, PinnedFor(CurrentRange()) with { Scope = "hot", Files = [tuned] });
        var (result, summary) = VerifyWithSummaryFile();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("AP5011", result.Output);
        string markdown = File.ReadAllText(summary);
        Assert.Contains("are current", markdown);
        Assert.Contains("Warnings (verify still passes on these alone):", markdown);
        Assert.Contains($"- [AP5011]({DiagnosticCode.HelpLink("AP5011")}): ", markdown);
        Assert.Contains("kernel.c", markdown);
    }

    [Fact]
    public void Verify_through_MSBuild_with_current_flags_says_so_in_the_file_AutoPassSummaryFile_names()
    {
        PinnedFiles.Write(Pinned, PinnedFor(CurrentRange()));
        string project = DriverProject.Write(_temp.Path, _temp.Path, "", "<AutoPassBuildNative>false</AutoPassBuildNative>");

        // Relative: from the directory the build started in.
        var result = Command.Dotnet(_temp.Path, ["msbuild", project, "-nologo", "-p:AutoPassVerify=true", "-p:AutoPassSummaryFile=ci/summary.md"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        string markdown = File.ReadAllText(_temp["ci/summary.md"]);
        Assert.Contains($"## AutoPass verify: the pinned flags of `{Path.GetFileName(_temp.Path)}` are current", markdown);
        Assert.Contains($"`-O3 -funroll-loops` fit gcc {InstalledGccVersion()} (pinned for gcc `{CurrentRange()}`).", markdown);
        Assert.DoesNotMatch(new Regex("stale|dotnet build"), markdown);
    }

    [Fact]
    public void Verify_summary_renders_lock_text_carrying_links_html_and_backticks_as_inert_text()
    {
        const string EvilFlag = "-funroll-loops`[x](http://evil)`";
        const string EvilPath = "src/`[y](http://evil)`<img src=x>.c";
        var tuned = new LockSourceFile(EvilPath, [EvilFlag], "0", 0.9, "0");
        PinnedFiles.Write(Pinned, PinnedFor(CurrentRange()) with { Flags = [EvilFlag], Scope = "hot", Files = [tuned] });
        var (result, summary) = VerifyWithSummaryFile();

        Assert.True(result.ExitCode == 1, result.ToString());
        string markdown = File.ReadAllText(summary);
        // The flag, backticks and all, stays one code span: its fence is longer than any backtick run inside.
        Assert.Contains("`` -O3 -funroll-loops`[x](http://evil)` ``", markdown);
        // Outside code spans and AutoPass's own help links, no bracket or angle bracket is left unescaped.
        string outsideCode = Regex.Replace(markdown, @"(?<![`\\])(`+)(?!`)(.+?)(?<!`)\1(?!`)", "");
        outsideCode = Regex.Replace(outsideCode, @"\[AP\d{4}\]\(https://[^)\s]+\)", "");
        Assert.DoesNotMatch(new Regex(@"(?<!\\)[\[\]<>]"), outsideCode);
        Assert.Contains("http://evil", outsideCode);
    }
}
