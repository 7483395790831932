using System.Text.Json;
using System.Text.RegularExpressions;
using AutoPass.Build.Tests.Infrastructure;

namespace AutoPass.Build.Tests;

/// <summary>
/// The product as a user gets it: the package packed into a local feed, a copy of the sample restored from
/// it into an isolated packages folder, a tuning session through `dotnet build -p:AutoPassTune=true`, then a
/// plain build with the pinned flags.
/// </summary>
public sealed class EndToEndTests(PackageFeed feed) : IClassFixture<PackageFeed>, IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Scales at which the sample's programs run in tens of milliseconds (samples/kernels/README.md).</summary>
    private static readonly Dictionary<string, string> SmallScale = SampleScales.Small;

    [Fact]
    public void Tuning_the_sample_from_the_package_pins_flags_and_a_plain_build_uses_them()
    {
        string repo = _temp.CopyFrom(Repo.Sample("kernels"), "my-native-repo");
        feed.WriteNuGetConfig(repo);
        string projectPath = Path.Combine(repo, "autopass.proj");
        string project = File.ReadAllText(projectPath);
        foreach (var (target, scale) in SmallScale)
            project = project.Replace($"<AutoPassBenchmark Include=\"{target}\" />", $"<AutoPassBenchmark Include=\"{target}\" Arguments=\"{scale}\" />");
        File.WriteAllText(projectPath, project);

        var tune = Command.Dotnet(repo, ["build", "autopass.proj", "-p:AutoPassTune=true", "-p:AutoPassMaxTrials=3", "-p:AutoPassAgents=builtin", "-nodeReuse:false"]);

        Assert.True(tune.ExitCode == 0, tune.ToString());
        // The summary in the build output: baseline, winner, speedup with its interval, trials used.
        Assert.Contains("AutoPass: baseline flags: -O3", tune.Output);
        Assert.Matches(@"AutoPass: winning flags: +(none; the baseline is pinned|-\S+)", tune.Output);
        Assert.Matches(@"AutoPass: speedup: +\d\.\d{3}x", tune.Output);
        Assert.Matches(@"AutoPass: trials used: +\d+ of 3", tune.Output);

        string pinned = Path.Combine(repo, "autopass");
        using var lockJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(pinned, "autopass.lock.json")));
        var root = lockJson.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(feed.Version, root.GetProperty("tool").GetProperty("version").GetString());
        Assert.Equal("gcc", root.GetProperty("compiler").GetProperty("id").GetString());
        Assert.Matches(@"^\[\d+\.0\.0, \d+\.0\.0\)$", root.GetProperty("compiler").GetProperty("versionRange").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("machine").GetProperty("cpu").GetString()));
        Assert.Equal(["-O3"], root.GetProperty("baseline").GetProperty("flags").EnumerateArray().Select(e => e.GetString()));
        var flags = root.GetProperty("flags").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.InRange(root.GetProperty("trials").GetInt32(), 1, 3);
        Assert.Equal(3, root.GetProperty("benchmarks").GetArrayLength());
        if (root.GetProperty("outcome").GetString() == "improved")
        {
            var speedup = root.GetProperty("speedup");
            Assert.True(speedup.GetProperty("low").GetDouble() > 1.0);
            Assert.True(speedup.GetProperty("low").GetDouble() <= speedup.GetProperty("estimate").GetDouble());
            Assert.True(speedup.GetProperty("estimate").GetDouble() <= speedup.GetProperty("high").GetDouble());
            Assert.Equal(0.95, speedup.GetProperty("confidence").GetDouble());
            Assert.NotEmpty(flags);
            foreach (var b in root.GetProperty("benchmarks").EnumerateArray())
                Assert.True(b.GetProperty("speedup").GetProperty("estimate").GetDouble() > 0);
        }
        else
        {
            Assert.Empty(flags);
            Assert.Contains("baseline is pinned", tune.Output);
        }

        // The other pinned files carry the same flags.
        string allFlags = string.Join(' ', new[] { "-O3" }.Concat(flags));
        Assert.Contains($"<AutoPassCFlags>{allFlags}</AutoPassCFlags>", File.ReadAllText(Path.Combine(pinned, "autopass.props")));
        Assert.Contains("%(AdditionalOptions) " + allFlags, File.ReadAllText(Path.Combine(pinned, "autopass.props")));
        Assert.Contains("set(AUTOPASS_FLAGS " + string.Join(' ', new[] { "-O3" }.Concat(flags).Select(f => $"\"{f}\"")) + ")", File.ReadAllText(Path.Combine(pinned, "autopass.cmake")));

        // The ledger has one line per trial with every timing sample.
        var trials = File.ReadLines(Path.Combine(repo, "obj", "autopass", "ledger.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("type").GetString() == "trial").ToList();
        Assert.Contains(trials, t => t.GetProperty("phase").GetString() == "calibration");
        Assert.Contains(trials, t => t.GetProperty("phase").GetString() == "screen");
        foreach (var t in trials.Where(t => t.TryGetProperty("verdict", out _) && t.GetProperty("buildStatus").GetString() == "ok"))
            foreach (var b in t.GetProperty("benchmarks").EnumerateArray())
                Assert.Equal(b.GetProperty("baselineSeconds").GetArrayLength(), b.GetProperty("candidateSeconds").GetArrayLength());

        // A plain build (no tuning) builds the CMake project with exactly the pinned flags.
        var plain = Command.Dotnet(repo, ["build", "autopass.proj", "-nodeReuse:false"]);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.DoesNotContain("calibration", plain.Output);
        using var commands = JsonDocument.Parse(File.ReadAllText(Path.Combine(repo, "obj", "autopass", "build", "compile_commands.json")));
        var commandLines = commands.RootElement.EnumerateArray().Select(e => e.GetProperty("command").GetString()!).ToList();
        Assert.Equal(3, commandLines.Count);
        Assert.All(commandLines, c => Assert.Matches(Regex.Escape(allFlags) + " -o ", c));
    }
}
