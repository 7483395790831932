using System.Text.Json;
using AutoPass.Build.Tests.Infrastructure;

namespace AutoPass.Build.Tests;

/// <summary>The opt-in deterministic objective: instruction counts under valgrind, labelled as a proxy everywhere.</summary>
public sealed class InstructionObjectiveTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Counting_instructions_is_deterministic_and_labelled_a_proxy_in_every_output()
    {
        string source = _temp.CopyFrom(Repo.Fixture("faulty"), "faulty");
        string request = Requests.Write(_temp.Path, new
        {
            sourceDir = source,
            outputDir = _temp["pinned"],
            intermediateDir = _temp["obj"],
            benchmarks = new[] { Requests.Benchmark("ok") },
            settings = new { maxTrials = "2", agents = "builtin", objective = "instructions" },
        });

        var result = Command.AutoPass(_temp.Path, "tune", "--request", request);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning AP2008: The objective is instructions executed under valgrind, a proxy for time", result.Output);
        // The baseline against itself executes exactly the same instructions.
        Assert.Contains("calibration (baseline against itself): 1.000x [1.000, 1.000]", result.Output);
        using var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp["pinned"], "autopass.lock.json")));
        Assert.Equal("instructions (valgrind; a proxy for time)", lockFile.RootElement.GetProperty("objective").GetString());
        var measured = File.ReadLines(Path.Combine(_temp["obj"], "ledger.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "trial" && e.GetProperty("buildStatus").GetString() == "ok").ToList();
        Assert.NotEmpty(measured);
        foreach (var b in measured.SelectMany(t => t.GetProperty("benchmarks").EnumerateArray()))
            Assert.True(b.GetProperty("baselineInstructions").GetArrayLength() > 0);
    }
}
