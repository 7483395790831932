using System.Text.RegularExpressions;
using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Diagnostics;

namespace AutoPass.Build.Tests;

/// <summary>
/// Bad input gets a clear error: a code, what is wrong and how to fix it, from the real program against
/// real CMake projects; and it changes nothing that was pinned before.
/// </summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private CommandResult Tune(string fixture, object[] benchmarks, Dictionary<string, string?>? environment = null,
        Action<Dictionary<string, object>>? edit = null, Action<Dictionary<string, string>>? set = null)
    {
        string source = _temp.CopyFrom(Repo.Fixture(fixture), fixture);
        var settings = new Dictionary<string, string> { ["maxTrials"] = "1", ["agents"] = "builtin" };
        set?.Invoke(settings);
        var request = new Dictionary<string, object>
        {
            ["sourceDir"] = source,
            ["outputDir"] = _temp["pinned"],
            ["intermediateDir"] = _temp["obj"],
            ["benchmarks"] = benchmarks,
            ["settings"] = settings,
        };
        edit?.Invoke(request);
        string path = Requests.Write(_temp.Path, request);
        return environment is null ? Command.AutoPass(_temp.Path, "tune", "--request", path) : Command.AutoPass(_temp.Path, environment, "tune", "--request", path);
    }

    private void AssertFailsWith(CommandResult result, string code, string mentions)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"autopass : error {code}: ", result.Output);
        // The error names its entry in docs/diagnostics.md.
        Assert.Matches($@"autopass : error {code}: .* \(see {Regex.Escape(DiagnosticCode.HelpLink(code))}\)", result.Output);
        Assert.Contains(mentions, result.Output);
        Assert.False(Directory.Exists(_temp["pinned"]) && Directory.EnumerateFiles(_temp["pinned"]).Any(), "a failed session wrote pinned files");
    }

    [Fact]
    public void No_benchmark_named_is_AP1001()
    {
        AssertFailsWith(Tune("faulty", []), "AP1001", "AutoPassBenchmark");
    }

    [Theory]
    [InlineData("arguments", "The Arguments of benchmark 'ok'")]
    [InlineData("verify", "The Verify command of benchmark 'ok'")]
    public void An_unclosed_quote_in_Arguments_or_Verify_is_AP1004_naming_the_benchmark(string field, string names)
    {
        var benchmark = new Dictionary<string, string> { ["target"] = "ok", [field] = "--size \"4096" };

        var result = Tune("faulty", [benchmark]);

        AssertFailsWith(result, "AP1004", $"{names} (AutoPassBenchmark metadata) has an unclosed quote: --size \"4096");
        Assert.Contains("Close the quote", result.Output);
        Assert.DoesNotContain("bug", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_target_that_does_not_exist_is_AP1003_and_lists_the_targets()
    {
        AssertFailsWith(Tune("faulty", [Requests.Benchmark("no_such_target")]), "AP1003", "no target 'no_such_target'");
    }

    [Fact]
    public void A_target_that_is_not_an_executable_is_AP1003()
    {
        AssertFailsWith(Tune("faulty", [Requests.Benchmark("notexe")]), "AP1003", "does not produce an executable");
    }

    [Fact]
    public void A_baseline_that_does_not_compile_is_AP4003()
    {
        AssertFailsWith(Tune("broken", [Requests.Benchmark("broken")]), "AP4003", "The baseline does not build");
    }

    [Fact]
    public void A_missing_compiler_is_AP4002()
    {
        AssertFailsWith(Tune("faulty", [Requests.Benchmark("ok")], set: s => s["cCompiler"] = "/nonexistent/bin/cc"), "AP4002", "no working C/C++ compiler");
    }

    [Fact]
    public void Missing_cmake_is_AP4001()
    {
        string emptyPath = Directory.CreateDirectory(_temp["empty-path"]).FullName;
        var result = Tune("faulty", [Requests.Benchmark("ok")], new Dictionary<string, string?> { ["PATH"] = emptyPath });
        AssertFailsWith(result, "AP4001", "CMake was not found");
    }

    [Fact]
    public void A_benchmark_that_exits_non_zero_is_AP2001()
    {
        AssertFailsWith(Tune("faulty", [Requests.Benchmark("failer")]), "AP2001", "exited with code 3");
    }

    [Fact]
    public void A_benchmark_that_crashes_is_AP2002()
    {
        AssertFailsWith(Tune("faulty", [Requests.Benchmark("crasher")]), "AP2002", "crashed");
    }

    [Fact]
    public void A_benchmark_that_hangs_is_stopped_at_its_time_limit_as_AP2003()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        AssertFailsWith(Tune("faulty", [Requests.Benchmark("hanger", timeout: "2")]), "AP2003", "did not finish within 2 s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    [Fact]
    public void An_unwritable_output_directory_is_AP5001_before_any_work()
    {
        File.WriteAllText(_temp["a-file"], "");
        var result = Tune("faulty", [Requests.Benchmark("ok")], edit: r => r["outputDir"] = Path.Combine(_temp["a-file"], "autopass"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("autopass : error AP5001: ", result.Output);
        Assert.DoesNotContain("building the baseline", result.Output);
    }

    [Fact]
    public void A_setting_that_is_not_a_number_is_AP1004_naming_the_property()
    {
        AssertFailsWith(Tune("faulty", [Requests.Benchmark("ok")], set: s => s["maxTrials"] = "lots"), "AP1004", "AutoPassMaxTrials is 'lots'");
    }

    [Fact]
    public void A_setting_out_of_its_range_is_AP1004_naming_the_property_and_the_range()
    {
        var result = Tune("faulty", [Requests.Benchmark("ok")], set: s => s["minEffect"] = "0.7");

        AssertFailsWith(result, "AP1004", "AutoPassMinEffect is '0.7'. Set it to a fraction between 0 and 0.5 (0.01 = 1%).");
        Assert.DoesNotContain("building the baseline", result.Output);
    }

    [Fact]
    public void An_unknown_setting_is_AP1004_naming_it()
    {
        AssertFailsWith(Tune("faulty", [Requests.Benchmark("ok")], set: s => s["maxTrails"] = "5"), "AP1004", "The request sets 'maxTrails', which is not a setting.");
    }

    [Fact]
    public void A_setting_outside_the_settings_object_is_an_error_rather_than_ignored()
    {
        var result = Tune("faulty", [Requests.Benchmark("ok")], edit: r => r["maxTrials"] = "3");

        AssertFailsWith(result, "AP1005", "has a field 'maxTrials' that AutoPass does not read");
        Assert.Contains("\"settings\": { \"maxTrials\"", result.Output);
    }

    [Fact]
    public void Help_lists_every_setting_of_the_table_with_its_property_default_and_help()
    {
        var result = Command.AutoPass(_temp.Path, "tune", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n');
        foreach (var setting in AutoPass.Core.Workload.TuningSettings.All)
        {
            // The option is the request key in kebab case: maxTrials is --max-trials.
            string option = "--" + string.Concat(setting.Key.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
            var line = Assert.Single(lines, l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
            Assert.EndsWith($"{setting.Help} (default {setting.DefaultText}; MSBuild: {setting.Property})", line.TrimEnd());
        }
    }

    [Fact]
    public void A_forbidden_baseline_flag_is_AP1006()
    {
        AssertFailsWith(Tune("faulty", [Requests.Benchmark("ok")], set: s => s["baselineFlags"] = "-O2 -fplugin=/tmp/evil.so"), "AP1006", "-fplugin=/tmp/evil.so");
    }

    [Fact]
    public void A_failed_session_leaves_earlier_pinned_files_untouched()
    {
        Directory.CreateDirectory(_temp["pinned"]);
        var before = new Dictionary<string, string>
        {
            ["autopass.props"] = "<Project />\n",
            ["autopass.cmake"] = "# pinned earlier\n",
            ["autopass.lock.json"] = "{ \"schemaVersion\": 1 }\n",
        };
        foreach (var (name, content) in before) File.WriteAllText(Path.Combine(_temp["pinned"], name), content);

        var result = Tune("faulty", [Requests.Benchmark("crasher")]);

        Assert.Equal(1, result.ExitCode);
        foreach (var (name, content) in before) Assert.Equal(content, File.ReadAllText(Path.Combine(_temp["pinned"], name)));
        Assert.Equal(before.Keys.Order(), Directory.EnumerateFiles(_temp["pinned"]).Select(Path.GetFileName).Order()!);
    }
}
