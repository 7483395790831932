using System.Text.Json.Nodes;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Search;
using AutoPass.Core.Session;
using AutoPass.Core.Tests.Evidence;
using AutoPass.Core.Workload;
using static AutoPass.Core.Tests.Agents.AgentTestData;

namespace AutoPass.Core.Tests.Agents;

/// <summary>
/// A whole session with the agent stages on a local server speaking Ollama's protocol, building and timing a
/// real program: the model's proposal is tried, its injected flag never reaches the compiler, and when the
/// server starts failing the session goes on with the built-in stages after one warning.
/// </summary>
[Trait("Category", "Real")]
public sealed class SessionWithOllamaTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-ollama-session-").FullName;

    public void Dispose() { if (Environment.GetEnvironmentVariable("AUTOPASS_KEEP_TEST_DIRS") is null) Directory.Delete(_dir, recursive: true); }

    [Fact]
    public async Task The_models_proposal_is_tried_its_injected_flag_never_built_and_a_failing_server_falls_back_once()
    {
        using var server = new FakeOllamaServer([
            new ChatScript.Reply(GoodAnalyst),
            new ChatScript.Reply(Lessons("helped", "-funroll-loops")),
            new ChatScript.Reply(Proposals(["-fplugin=/tmp/x.so"], ["-fno-peel-loops"])),
            // then the script runs out: the server answers 500 from here on
        ]);
        var request = new TuningRequest
        {
            SourceDir = CProjectFixtures.CopyTo("faulty", _dir),
            OutputDir = Path.Combine(_dir, "pinned"),
            IntermediateDir = Path.Combine(_dir, "obj"),
            Benchmarks = [new BenchmarkSpec("ok", [])],
            // One candidate at a time: a race of eight would be filled by the opening's prior list before the agent
            // stages' turn. Eight trials keep the opening (half the budget, places 1, 3 and 5 at most) open until its
            // sixth place, the model's second turn, so the failing server is always met whatever the timings decide.
            MaxTrials = 8,
            RaceSize = 1,
            Agents = AgentMode.Auto,
            OllamaEndpoint = server.Endpoint,
        };
        var sink = new RecordingDiagnosticSink();

        var result = await new TuningSession(request, sink).RunAsync(CancellationToken.None);

        Assert.Contains(result.Trials, t => t.Origin == "ollama:proposer" && t.Flags.SequenceEqual(["-fno-peel-loops"]));
        Assert.DoesNotContain(result.Trials, t => t.Flags.Any(f => f.Contains("plugin", StringComparison.Ordinal)));
        Assert.Single(sink.WarningCodes, DiagnosticCode.OllamaUnavailable);
        Assert.Equal("ollama:qwen2.5-coder:7b", result.Lock.Agents);

        var exchanges = LedgerJson.Read(result.LedgerPath).Where(e => e.Type == "agent").Select(e => e.Entry).ToList();
        var proposer = exchanges.First(e => e["stage"]!.GetValue<string>() == "proposer" && e["implementation"]!.GetValue<string>() == "ollama");
        Assert.Contains(proposer["dropped"]!.AsArray(), d => d!["flag"]!.GetValue<string>() == "-fplugin=/tmp/x.so" && d["reason"]!.GetValue<string>().Length > 0);
        Assert.Contains(exchanges, e => e["implementation"]!.GetValue<string>() == "builtin");
        Assert.True(server.ChatRequests.Count >= 2);

        // The diagnostician read what each measured candidate changed in the compiler's decisions.
        Assert.Contains(result.Trials, t => t.Phase == TrialPhase.Screen && t.Verdict is { Pairs: > 0 } && t.RemarkChanges is { Length: > 0 });
        Assert.Contains(server.ChatRequests, r => r.ToJsonString().Contains("what the compiler did differently", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_model_a_short_session_asks_it_in_its_first_race()
    {
        using var server = new FakeOllamaServer([
            new ChatScript.Reply(GoodAnalyst),
            new ChatScript.Reply(Lessons("helped", "-funroll-loops")),
            new ChatScript.Reply(Proposals(["-fno-peel-loops"])),
        ]);
        var request = new TuningRequest
        {
            SourceDir = CProjectFixtures.CopyTo("faulty", _dir),
            OutputDir = Path.Combine(_dir, "pinned"),
            IntermediateDir = Path.Combine(_dir, "obj"),
            Benchmarks = [new BenchmarkSpec("ok", [])],
            // Six trials in races of eight: the opening's prior list alone would fill the only race.
            MaxTrials = 6,
            Agents = AgentMode.Auto,
            OllamaEndpoint = server.Endpoint,
        };

        var result = await new TuningSession(request, new RecordingDiagnosticSink()).RunAsync(CancellationToken.None);

        // Proposed into the first race (its binaries may equal one already known, so it need not be timed there).
        int firstOfLaterRaces = result.Trials.Where(t => t.Race >= 2).Select(t => t.Trial).DefaultIfEmpty(int.MaxValue).Min();
        Assert.Contains(result.Trials, t => t.Phase == TrialPhase.Screen && t.Origin == "ollama:proposer" && t.Trial < firstOfLaterRaces);
        Assert.True(server.ChatRequests.Count >= 1);
    }
}
