using System.Text.Json;
using AutoPass.Build.Tests.Infrastructure;

namespace AutoPass.Build.Tests;

/// <summary>
/// autopass as a CMake-only team gets it: the AutoPass.Tool package packed into a local feed, installed with
/// dotnet tool install, and run on a copy of the sample without any MSBuild file.
/// </summary>
public sealed class DotnetToolTests : IClassFixture<DotnetToolTests.InstalledTool>, IDisposable
{
    /// <summary>Packs AutoPass.Tool once for the class and installs it into a tool path, as a user would.</summary>
    public sealed class InstalledTool : IDisposable
    {
        private readonly TempDir _temp = new();

        public string Executable { get; }

        public InstalledTool()
        {
            string feed = _temp["feed"];
            var pack = Command.Dotnet(Repo.Root, ["pack", Path.Combine(Repo.Root, "src", "AutoPass.Cli", "AutoPass.Cli.csproj"), "-c", Repo.Configuration, "-o", feed, "-nologo"]);
            if (pack.ExitCode != 0) throw new InvalidOperationException("dotnet pack of the tool failed:\n" + pack);
            var install = Command.Dotnet(_temp.Path, ["tool", "install", "AutoPass.Tool", "--tool-path", _temp["tools"], "--add-source", feed, "--version", "0.1.0"]);
            if (install.ExitCode != 0) throw new InvalidOperationException("dotnet tool install failed:\n" + install);
            Executable = Path.Combine(_temp["tools"], "autopass");
        }

        public void Dispose() => _temp.Dispose();
    }

    private readonly InstalledTool _tool;
    private readonly TempDir _temp = new();

    public DotnetToolTests(InstalledTool tool) => _tool = tool;

    public void Dispose() => _temp.Dispose();

    /// <summary>Two of the sample's benchmarks, each with its arguments after the colon.</summary>
    private static readonly string[] Benchmarks = ["--benchmark", $"matmul:{SampleScales.Small["matmul"]}", "--benchmark", $"stencil:{SampleScales.Small["stencil"]}"];

    private CommandResult Autopass(params string[] arguments) =>
        Command.Run(_tool.Executable, arguments, _temp.Path, new Dictionary<string, string?> { ["DOTNET_ROOT"] = DotnetRoot }, TimeSpan.FromMinutes(10));

    /// <summary>The .NET running these tests, for the tool's launcher (as DOTNET_ROOT tells a tool installed outside the default place).</summary>
    private static string DotnetRoot => Path.GetDirectoryName(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "/usr/share/dotnet/dotnet")!;

    [Fact]
    public void Tune_on_the_sample_without_MSBuild_pins_flags_prints_JSON_and_verify_and_report_read_them()
    {
        string source = _temp.CopyFrom(Repo.Sample("kernels"), "kernels");
        // No MSBuild file: the CMake project and its benchmarks are all the tool is given.
        foreach (var project in Directory.EnumerateFiles(source, "*.proj")) File.Delete(project);

        var tune = Autopass(["tune", "--source", source, .. Benchmarks,
            "--max-trials", "2", "--agents", "builtin", "--json"]);

        Assert.True(tune.ExitCode == 0, tune.ToString());
        // Standard output is the JSON alone (the progress lines went to standard error, which this captures too).
        string json = tune.Output[tune.Output.IndexOf("{\n", StringComparison.Ordinal)..];
        using var result = JsonDocument.Parse(json[..(json.LastIndexOf('}') + 1)]);
        var root = result.RootElement;
        Assert.Equal("tune", root.GetProperty("command").GetString());
        Assert.Equal(0, root.GetProperty("exitCode").GetInt32());
        var lockFile = root.GetProperty("lock");
        Assert.Equal(["-O3"], lockFile.GetProperty("baseline").GetProperty("flags").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, lockFile.GetProperty("benchmarks").GetArrayLength());
        Assert.InRange(lockFile.GetProperty("trials").GetInt32(), 1, 2);
        string pinned = Path.Combine(source, "autopass");
        Assert.Equal(Path.Combine(pinned, "autopass.lock.json"), root.GetProperty("files").GetProperty("lock").GetString());
        foreach (var file in new[] { "autopass.props", "autopass.cmake", "autopass.lock.json" }) Assert.True(File.Exists(Path.Combine(pinned, file)), file);
        Assert.Contains("AutoPass: speedup:", tune.Output);

        var verify = Autopass("verify", "--source", source, "--json");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("pinned flags are current", verify.Output);
        Assert.Contains("\"command\": \"verify\"", verify.Output);

        var report = Autopass("report", "--source", source);
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Contains("AutoPass: baseline flags: -O3", report.Output);
        Assert.Contains("AutoPass: report: " + Path.Combine(source, "obj", "autopass", "report.html"), report.Output);

        var replay = Autopass(["replay", "--source", source, .. Benchmarks,
            "--max-trials", "2", "--agents", "builtin"]);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Matches(@"AutoPass: replayed \d+ decisions .*: \d+ matched the session", replay.Output);
    }

    [Fact]
    public void Help_lists_the_commands_and_every_setting_as_an_option_named_from_the_table()
    {
        var help = Autopass("--help");
        Assert.True(help.ExitCode == 0, help.ToString());
        foreach (var command in new[] { "tune", "verify", "report", "replay", "build" }) Assert.Matches($@"(?m)^\s+{command}\s", help.Output);
        Assert.Contains("Exit codes: 0", help.Output);

        // Every setting is an option of tune (CliErrorTests checks each line against the settings table).
        var tuneHelp = Autopass("tune", "--help");
        Assert.True(tuneHelp.ExitCode == 0, tuneHelp.ToString());
        Assert.Equal(AutoPass.Core.Workload.TuningSettings.All.Count, tuneHelp.Output.Split('\n').Count(l => l.Contains("; MSBuild: AutoPass", StringComparison.Ordinal)));
        Assert.Contains("--max-trials <n>", tuneHelp.Output);
        Assert.Contains("--benchmark <target[:args]>", tuneHelp.Output);
    }

    [Fact]
    public void A_command_line_not_understood_exits_2_and_a_bad_setting_value_exits_1_with_AP1004_naming_the_option()
    {
        var unknown = Autopass("tune", "--no-such-option");
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("--no-such-option", unknown.Output);

        var noCommand = Autopass();
        Assert.True(noCommand.ExitCode == 2, noCommand.ToString());

        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        var badValue = Autopass("tune", "--source", source, "--benchmark", "ok", "--max-trials", "lots", "--json");
        Assert.True(badValue.ExitCode == 1, badValue.ToString());
        Assert.Contains("error AP1004: --max-trials is 'lots'. Set it to a whole number of at least 1.", badValue.Output);
        Assert.Contains("\"code\": \"AP1004\"", badValue.Output);

        var noBenchmark = Autopass("tune", "--source", source);
        Assert.True(noBenchmark.ExitCode == 1, noBenchmark.ToString());
        Assert.Contains("error AP1001", noBenchmark.Output);
    }
}
