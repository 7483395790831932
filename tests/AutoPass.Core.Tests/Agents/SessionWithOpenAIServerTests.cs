using AutoPass.Core.Agents;
using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Session;
using AutoPass.Core.Tests.Evidence;
using AutoPass.Core.Workload;
using static AutoPass.Core.Tests.Agents.AgentTestData;

namespace AutoPass.Core.Tests.Agents;

/// <summary>
/// A whole session with AutoPassAgentProvider=openai on a local server speaking the chat-completions protocol,
/// building and timing a real program: the model's proposal is tried, its injected flag never built, a failing server
/// falls back once with AP3005, the lock file names provider and model, and replay re-runs the decisions from the ledger.
/// </summary>
[Trait("Category", "Real")]
public sealed class SessionWithOpenAIServerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-openai-session-").FullName;

    public void Dispose() { if (Environment.GetEnvironmentVariable("AUTOPASS_KEEP_TEST_DIRS") is null) Directory.Delete(_dir, recursive: true); }

    [Fact]
    public async Task The_models_proposal_is_tried_the_lock_names_provider_and_model_and_replay_matches()
    {
        using var server = new FakeOpenAIServer([
            new ChatScript.Reply(GoodAnalyst),
            new ChatScript.Reply(Lessons("helped", "-funroll-loops")),
            new ChatScript.Reply(Proposals(["-fplugin=/tmp/x.so"], ["-fno-peel-loops"])),
            // then the script runs out: the server answers 500 from here on
        ], models: ["local-coder"]);
        var request = new TuningRequest
        {
            SourceDir = CProjectFixtures.CopyTo("faulty", _dir),
            OutputDir = Path.Combine(_dir, "pinned"),
            IntermediateDir = Path.Combine(_dir, "obj"),
            Benchmarks = [new BenchmarkSpec("ok", [])],
            // One candidate at a time and eight trials, so the model is asked twice in the opening whatever the timings
            // decide (as in SessionWithOllamaTests).
            MaxTrials = 8,
            RaceSize = 1,
            Agents = AgentMode.Auto,
            AgentProvider = AgentProvider.OpenAI,
            AgentEndpoint = server.Endpoint,
            // An Ollama endpoint that answers nothing: the openai provider must not ask it.
            OllamaEndpoint = "http://127.0.0.1:9",
        };
        var sink = new RecordingDiagnosticSink();

        var result = await new TuningSession(request, sink).RunAsync(CancellationToken.None);

        Assert.Contains(result.Trials, t => t.Origin == "openai:proposer" && t.Flags.SequenceEqual(["-fno-peel-loops"]));
        Assert.DoesNotContain(result.Trials, t => t.Flags.Any(f => f.Contains("plugin", StringComparison.Ordinal)));
        Assert.Single(sink.WarningCodes, AgentDiagnosticCodes.ModelServerUnavailable);
        Assert.Equal("openai:local-coder", result.Lock.Agents);
        Assert.All(server.ChatRequests, chat => Assert.Equal("local-coder", chat["model"]!.GetValue<string>()));

        var exchanges = LedgerJson.Read(result.LedgerPath).Where(e => e.Type == "agent").Select(e => e.Entry).ToList();
        var proposer = exchanges.First(e => e["stage"]!.GetValue<string>() == "proposer" && e["implementation"]!.GetValue<string>() == "openai");
        Assert.Equal("local-coder", proposer["model"]!.GetValue<string>());
        Assert.Contains(proposer["dropped"]!.AsArray(), d => d!["flag"]!.GetValue<string>() == "-fplugin=/tmp/x.so");

        // Replay: the same decisions from the ledger alone, the model's replies served from it as "openai:" again.
        int chatsBefore = server.ChatRequests.Count;
        string compilerPath = Ledger.LastSession(result.LedgerPath).OfType<CompilerLine>().Last().Path;
        var compiler = await CompilerProbe.IdentifyAsync(compilerPath, CancellationToken.None);
        var catalog = await CompilerProbe.CatalogAsync(compiler, request.BaselineFlags, CancellationToken.None);
        var replaySink = new RecordingDiagnosticSink();
        var outcome = await DecisionReplay.RunAsync(request, catalog, result.LedgerPath, replaySink, CancellationToken.None);

        Assert.True(outcome.Decisions >= 2, $"{outcome.Decisions} decisions");
        Assert.Null(outcome.FirstDivergence);
        Assert.Equal(outcome.Decisions, outcome.Matched);
        Assert.DoesNotContain(AgentDiagnosticCodes.ReplayDiverged, replaySink.WarningCodes);
        Assert.Equal(chatsBefore, server.ChatRequests.Count);
    }
}
