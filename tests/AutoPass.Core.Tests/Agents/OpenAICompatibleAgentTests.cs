using System.Text.Json.Nodes;
using AutoPass.Core.Agents;
using AutoPass.Core.Agents.OpenAICompatible;
using AutoPass.Core.Agents.Replay;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Tests.Evidence;
using AutoPass.Core.Workload;
using static AutoPass.Core.Tests.Agents.AgentTestData;

namespace AutoPass.Core.Tests.Agents;

/// <summary>
/// The agent stages on an OpenAI-compatible server (AutoPassAgentProvider=openai), over real HTTP to a local server
/// speaking the chat-completions protocol: what is asked, what comes out through the gate, and the fallbacks.
/// </summary>
public sealed class OpenAICompatibleAgentTests
{
    private const string ServedModel = "qwen2.5-coder-7b-instruct";

    private static TuningRequest OpenAIRequest(AgentMode mode, string endpoint, string? model = ServedModel) =>
        Request(mode, endpoint: null, model) with { AgentProvider = AgentProvider.OpenAI, AgentEndpoint = endpoint };

    private static AgentOptions WithApiKey(AgentOptions options, string key) =>
        options with { Environment = name => name == OpenAICompatibleServer.ApiKeyVariable ? key : null };

    [Fact]
    public async Task A_valid_reply_yields_gated_candidates_and_each_request_carries_the_model_messages_schema_temperature_and_seed()
    {
        using var server = new FakeOpenAIServer([
            new ChatScript.Reply(GoodAnalyst),
            new ChatScript.Reply(Proposals(["-funroll-loops", "--param=max-unroll-times=16"], ["-fsuper-vectorize"], ["-fipa-pta"])),
        ]);
        var sink = new RecordingDiagnosticSink();
        var source = await AgentStages.CreateAsync(OpenAIRequest(AgentMode.Ollama, server.Endpoint), sink, FastOptions(), CancellationToken.None);

        var candidates = await source.ProposeAsync(State(), 2, CancellationToken.None);

        // The hallucinated flag is dropped by the same gate as Ollama's proposals.
        Assert.Equal(["-funroll-loops --param=max-unroll-times=16", "-fipa-pta"], candidates.Select(c => c.Key));
        Assert.All(candidates, c => Assert.Equal("openai:proposer", c.Origin));
        Assert.Equal("agents:openai", source.Name);
        Assert.Empty(sink.WarningCodes);
        Assert.Contains(sink.Entries, e => e.Kind == "info" && e.Message.Contains($"model {ServedModel}", StringComparison.Ordinal));
        var proposer = source.Exchanges.Single(e => e.Stage == "proposer" && e.Implementation == "openai");
        Assert.Contains(proposer.Dropped, d => d.Flag == "-fsuper-vectorize");

        Assert.Equal(("GET", "/v1/models"), (server.Requests[0].Method, server.Requests[0].Path));
        var chats = server.ChatRequests;
        Assert.Equal(2, chats.Count);
        foreach (var chat in chats)
        {
            Assert.Equal(ServedModel, chat["model"]!.GetValue<string>());
            Assert.NotEqual(true, chat["stream"]?.GetValue<bool>());
            Assert.Equal(0, chat["temperature"]!.GetValue<double>());
            Assert.Equal(1234, chat["seed"]!.GetValue<long>());
            var messages = chat["messages"]!.AsArray();
            Assert.Equal(["system", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
            Assert.Contains("JSON", Content(messages[0]!));
            Assert.Equal("json_schema", chat["response_format"]!["type"]!.GetValue<string>());
            Assert.Equal("object", chat["response_format"]!["json_schema"]!["schema"]!["type"]!.GetValue<string>());
        }
        Assert.Equal("analyst_report", chats[0]["response_format"]!["json_schema"]!["name"]!.GetValue<string>());
        Assert.NotNull(chats[0]["response_format"]!["json_schema"]!["schema"]!["properties"]!["hypotheses"]);
        Assert.Equal("proposer_report", chats[1]["response_format"]!["json_schema"]!["name"]!.GetValue<string>());
        Assert.Equal(["flags", "rationale", "expected_effect"],
            chats[1]["response_format"]!["json_schema"]!["schema"]!["properties"]!["proposals"]!["items"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        // The analyst's hypothesis reached the proposer's prompt.
        Assert.Contains("The hot loop in kernel() is not unrolled.", Content(chats[1]["messages"]!.AsArray()[1]!));
        // No key configured: no Authorization header at all.
        Assert.All(server.Requests, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task Streamed_replies_are_assembled_from_server_sent_events()
    {
        using var server = new FakeOpenAIServer([
            new ChatScript.Reply(GoodAnalyst),
            new ChatScript.Reply(Proposals(["-funroll-loops"], ["-fvect-cost-model=unlimited"])),
        ]);
        var source = await AgentStages.CreateAsync(OpenAIRequest(AgentMode.Ollama, server.Endpoint), new RecordingDiagnosticSink(),
            FastOptions(stream: true), CancellationToken.None);

        var candidates = await source.ProposeAsync(State(), 2, CancellationToken.None);

        Assert.Equal(["-funroll-loops", "-fvect-cost-model=unlimited"], candidates.Select(c => c.Key));
        Assert.All(candidates, c => Assert.Equal("openai:proposer", c.Origin));
        Assert.All(server.ChatRequests, chat => Assert.True(chat["stream"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task With_no_model_set_the_servers_first_model_is_asked_and_the_ledger_names_provider_and_model()
    {
        using var server = new FakeOpenAIServer([new ChatScript.Reply(GoodAnalyst), new ChatScript.Reply(Proposals(["-fipa-pta"]))],
            models: ["/models/Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf", "other"]);
        string ledgerPath = TempLedgerPath();
        using (var ledger = new Ledger(ledgerPath))
        {
            var source = await AgentStages.CreateAsync(OpenAIRequest(AgentMode.Auto, server.Endpoint, model: null), new RecordingDiagnosticSink(),
                FastOptions(), CancellationToken.None);
            await source.ProposeAsync(State(), 1, CancellationToken.None);
            ledger.AppendAll(source.TakeNewExchanges());
        }

        Assert.All(server.ChatRequests, chat => Assert.Equal("/models/Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf", chat["model"]!.GetValue<string>()));
        var lines = LedgerJson.Read(ledgerPath).ToList();
        var proposer = lines.Single(l => l.Entry["stage"]!.GetValue<string>() == "proposer").Entry;
        Assert.Equal("openai", proposer["implementation"]!.GetValue<string>());
        Assert.Equal("/models/Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf", proposer["model"]!.GetValue<string>());
        Assert.Equal("-fipa-pta", proposer["kept"]![0]![0]!.GetValue<string>());
        Assert.Contains("-fipa-pta", proposer["attempts"]!.AsArray().Single()!["response"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_malformed_reply_and_a_malformed_repair_fall_back_to_the_builtin_proposer_for_that_step()
    {
        using var server = new FakeOpenAIServer([
            new ChatScript.Reply(GoodAnalyst),
            new ChatScript.Reply("Sure! Here are flags: {\"proposals\": [ -funroll-loops"),
            new ChatScript.Reply("{\"proposals\": \"-funroll-loops\"}"),
        ]);
        var sink = new RecordingDiagnosticSink();
        var source = await AgentStages.CreateAsync(OpenAIRequest(AgentMode.Auto, server.Endpoint), sink, FastOptions(), CancellationToken.None);

        var candidates = await source.ProposeAsync(State(), 3, CancellationToken.None);

        Assert.Equal(3, candidates.Count);
        Assert.All(candidates, c => Assert.Equal("builtin:proposer", c.Origin));
        Assert.Equal([DiagnosticCode.AgentReplyInvalid], sink.WarningCodes);
        Assert.True(source.UsesModel); // one bad step does not end the model's session
        // The repair round went to the server: the bad reply as the assistant's, then what was wrong with it.
        var repair = server.ChatRequests[2]["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "user"], repair.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Contains("not valid", Content(repair[3]!));
        var failed = source.Exchanges.Single(e => e.Stage == "proposer" && e.Implementation == "openai");
        Assert.StartsWith("invalid-reply", failed.Failure);
        Assert.Contains("proposals", failed.Failure);
        Assert.Equal(2, failed.Attempts.Count);
    }

    [Fact]
    public async Task An_unreachable_endpoint_gives_AP3005_and_builtin_stages_in_auto_mode_and_an_error_when_the_model_is_required()
    {
        string endpoint = $"http://127.0.0.1:{FakeModelServer.FreePort()}/v1";
        var sink = new RecordingDiagnosticSink();

        var source = await AgentStages.CreateAsync(OpenAIRequest(AgentMode.Auto, endpoint), sink, FastOptions(timeoutMs: 2000), CancellationToken.None);
        var candidates = await source.ProposeAsync(State(), 3, CancellationToken.None);

        Assert.Equal("agents:builtin", source.Name);
        Assert.False(source.UsesModel);
        Assert.Equal(3, candidates.Count);
        Assert.All(candidates, c => Assert.Equal("builtin:proposer", c.Origin));
        var warning = Assert.Single(sink.Entries, e => e.Kind == "warning");
        Assert.Equal(AgentDiagnosticCodes.ModelServerUnavailable, warning.Code);
        Assert.Equal("AP3005", warning.Code);
        Assert.Contains(endpoint, warning.Message);
        Assert.Contains("AutoPassAgentEndpoint", warning.Message);
        Assert.Contains("AutoPassAgents=builtin", warning.Message);

        var error = await Assert.ThrowsAsync<AutoPassException>(() =>
            AgentStages.CreateAsync(OpenAIRequest(AgentMode.Ollama, endpoint), new RecordingDiagnosticSink(), FastOptions(timeoutMs: 2000), CancellationToken.None));
        Assert.Equal(AgentDiagnosticCodes.ModelServerUnavailable, error.Code);
        Assert.Contains("AutoPassAgentEndpoint", error.Fix);
    }

    [Fact]
    public async Task A_model_the_server_does_not_list_gives_AP3006_naming_what_it_serves_and_no_chat()
    {
        using var server = new FakeOpenAIServer([new ChatScript.Reply(GoodAnalyst)], models: ["llama-3.2-1b-instruct"]);
        var sink = new RecordingDiagnosticSink();

        var source = await AgentStages.CreateAsync(OpenAIRequest(AgentMode.Auto, server.Endpoint), sink, FastOptions(), CancellationToken.None);
        var candidates = await source.ProposeAsync(State(), 2, CancellationToken.None);
        var error = await Assert.ThrowsAsync<AutoPassException>(() =>
            AgentStages.CreateAsync(OpenAIRequest(AgentMode.Ollama, server.Endpoint), new RecordingDiagnosticSink(), FastOptions(), CancellationToken.None));

        Assert.False(source.UsesModel);
        Assert.All(candidates, c => Assert.Equal("builtin:proposer", c.Origin));
        var warning = Assert.Single(sink.Entries, e => e.Kind == "warning");
        Assert.Equal("AP3006", warning.Code);
        Assert.Contains($"'{ServedModel}'", warning.Message);
        Assert.Contains("llama-3.2-1b-instruct", warning.Message);
        Assert.Contains("AutoPassModel", warning.Message);
        Assert.Equal(AgentDiagnosticCodes.ModelNotServed, error.Code);
        Assert.Empty(server.ChatRequests);
    }

    [Theory]
    [InlineData("500", "unavailable: HTTP 503")]
    [InlineData("stall", "unavailable: no reply within 1 s")]
    public async Task A_server_that_starts_failing_ends_in_the_builtin_stages_with_one_AP3005_after_one_retry(string failure, string recorded)
    {
        ChatScript[] script = failure == "stall"
            ? [new ChatScript.Stall(), new ChatScript.Stall(), new ChatScript.Stall()]
            : [new ChatScript.Status(500), new ChatScript.Status(503), new ChatScript.Status(500)];
        using var server = new FakeOpenAIServer(script);
        var sink = new RecordingDiagnosticSink();
        var source = await AgentStages.CreateAsync(OpenAIRequest(AgentMode.Auto, server.Endpoint), sink, FastOptions(timeoutMs: 1000), CancellationToken.None);

        var first = await source.ProposeAsync(State(), 2, CancellationToken.None);
        var second = await source.ProposeAsync(State(), 2, CancellationToken.None);

        Assert.All(first.Concat(second), c => Assert.Equal("builtin:proposer", c.Origin));
        Assert.Equal(["AP3005"], sink.WarningCodes);
        Assert.Contains("OpenAI-compatible server", sink.Entries.Single(e => e.Kind == "warning").Message);
        Assert.False(source.UsesModel);
        Assert.Equal(2, server.ChatRequests.Count); // one call and one retry, then never again
        var failed = source.Exchanges.First(e => e.Implementation == "openai");
        Assert.StartsWith(recorded, failed.Failure);
    }

    [Fact]
    public async Task The_API_key_from_OPENAI_API_KEY_is_sent_as_a_bearer_token_and_never_written_anywhere()
    {
        const string key = "sk-local-7f3a9c2e5b";
        using var server = new FakeOpenAIServer([new ChatScript.Reply(GoodAnalyst), new ChatScript.Reply(Proposals(["-fipa-pta"]))], requiredKey: key);
        var sink = new RecordingDiagnosticSink();
        string ledgerPath = TempLedgerPath();
        using (var ledger = new Ledger(ledgerPath))
        {
            var source = await AgentStages.CreateAsync(OpenAIRequest(AgentMode.Ollama, server.Endpoint), sink, WithApiKey(FastOptions(), key), CancellationToken.None);
            var candidates = await source.ProposeAsync(State(), 1, CancellationToken.None);
            ledger.AppendAll(source.TakeNewExchanges());
            Assert.Equal("openai:proposer", Assert.Single(candidates).Origin);
        }

        Assert.All(server.Requests, r => Assert.Equal($"Bearer {key}", r.Authorization));
        Assert.Contains(sink.Entries, e => e.Message.Contains("OPENAI_API_KEY", StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Entries, e => e.Message.Contains(key, StringComparison.Ordinal));
        Assert.DoesNotContain(key, File.ReadAllText(ledgerPath));
    }

    [NonLoopbackAddressFact]
    public async Task The_API_key_never_travels_over_plain_http_to_another_host_and_AP3007_says_so_once()
    {
        const string key = "sk-remote-4d8b1f6a09";
        // Listens on this machine's own network address: a host that is not the loopback, reached over plain http.
        using var server = new FakeOpenAIServer([new ChatScript.Reply(GoodAnalyst), new ChatScript.Reply(Proposals(["-fipa-pta"]))],
            host: FakeModelServer.NonLoopbackAddress());
        var sink = new RecordingDiagnosticSink();

        var source = await AgentStages.CreateAsync(OpenAIRequest(AgentMode.Ollama, server.Endpoint), sink, WithApiKey(FastOptions(), key), CancellationToken.None);
        var candidates = await source.ProposeAsync(State(), 1, CancellationToken.None);

        Assert.Equal("openai:proposer", Assert.Single(candidates).Origin);
        Assert.NotEmpty(server.ChatRequests);
        Assert.All(server.Requests, r => Assert.Null(r.Authorization));
        var warning = Assert.Single(sink.Entries, e => e.Kind == "warning");
        Assert.Equal("AP3007", warning.Code);
        Assert.Contains(server.Endpoint, warning.Message);
        Assert.DoesNotContain(sink.Entries, e => e.Message.Contains(key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://models.example.com/v1", true)]
    [InlineData("https://192.0.2.7:8443/v1", true)]
    [InlineData("http://localhost:8080/v1", true)]
    [InlineData("http://127.0.0.1:8080/v1", true)]
    [InlineData("http://127.0.0.2:8080/v1", true)]
    [InlineData("http://[::1]:8080/v1", true)]
    [InlineData("http://0.0.0.0:8080", true)]
    [InlineData("http://models.example.com/v1", false)]
    [InlineData("http://192.0.2.7:8080/v1", false)]
    [InlineData("http://[fd00::7]:8080/v1", false)]
    [InlineData("models.example.com:8080", false)]
    public void The_key_may_go_over_https_anywhere_and_over_http_only_to_this_machine(string configured, bool sent) =>
        Assert.Equal(sent, OpenAICompatibleServer.MaySendApiKey(OpenAIEndpoint.Resolve(configured)));

    [Fact]
    public async Task A_server_that_wants_a_key_and_gets_none_says_to_set_OPENAI_API_KEY()
    {
        using var server = new FakeOpenAIServer([], requiredKey: "sk-secret");
        var sink = new RecordingDiagnosticSink();

        var source = await AgentStages.CreateAsync(OpenAIRequest(AgentMode.Auto, server.Endpoint), sink, FastOptions(), CancellationToken.None);

        Assert.False(source.UsesModel);
        var warning = Assert.Single(sink.Entries, e => e.Kind == "warning");
        Assert.Equal("AP3005", warning.Code);
        Assert.Contains("HTTP 401", warning.Message);
        Assert.Contains("OPENAI_API_KEY", warning.Message);
    }

    [Fact]
    public async Task Each_provider_pointed_at_the_other_kind_of_server_falls_back_with_its_own_code()
    {
        using var ollama = new FakeOllamaServer([new ChatScript.Reply(GoodAnalyst)]);
        using var openai = new FakeOpenAIServer([new ChatScript.Reply(GoodAnalyst)]);
        var openaiSink = new RecordingDiagnosticSink();
        var ollamaSink = new RecordingDiagnosticSink();

        // The OpenAI client at Ollama's root asks /v1/models, which this Ollama fake does not serve (404)...
        var viaOpenAI = await AgentStages.CreateAsync(OpenAIRequest(AgentMode.Auto, ollama.Endpoint), openaiSink, FastOptions(), CancellationToken.None);
        // ...and OllamaSharp's version call at an OpenAI-compatible server gets a 404 too.
        var viaOllama = await AgentStages.CreateAsync(Request(AgentMode.Auto, openai.Endpoint.Replace("/v1", "")), ollamaSink, FastOptions(), CancellationToken.None);

        Assert.False(viaOpenAI.UsesModel);
        Assert.False(viaOllama.UsesModel);
        Assert.Equal(["AP3005"], openaiSink.WarningCodes);
        Assert.Contains("HTTP 404", openaiSink.Entries.Single(e => e.Kind == "warning").Message);
        Assert.Equal([DiagnosticCode.OllamaUnavailable], ollamaSink.WarningCodes);
        Assert.Contains(ollama.Requests, r => r is ("GET", "/v1/models", _));
        Assert.Contains(openai.Requests, r => r.Method == "GET" && r.Path == "/api/version");
        Assert.Empty(ollama.ChatRequests);
        Assert.Empty(openai.ChatRequests);
    }

    [Fact]
    public async Task Replay_from_the_ledger_reproduces_the_openai_candidates_without_a_server()
    {
        string ledgerPath = TempLedgerPath();
        List<string> recorded;
        using (var server = new FakeOpenAIServer([
            new ChatScript.Reply(GoodAnalyst),
            new ChatScript.Reply("{oops"),
            new ChatScript.Reply(Proposals(["-funroll-loops"], ["-fipa-pta"])),
        ]))
        using (var ledger = new Ledger(ledgerPath))
        {
            var live = await AgentStages.CreateAsync(OpenAIRequest(AgentMode.Auto, server.Endpoint), new RecordingDiagnosticSink(), FastOptions(), CancellationToken.None);
            recorded = (await live.ProposeAsync(State(), 2, CancellationToken.None)).Select(c => $"{c.Origin} {c.Key}").ToList();
            ledger.AppendAll(live.TakeNewExchanges());
        }

        var sink = new RecordingDiagnosticSink();
        var replayClient = AgentReplay.FromLedger(ledgerPath, sink);
        var modelLine = AgentReplay.Exchanges(ledgerPath).First(e => e.Implementation != "builtin");
        var replay = AgentStages.Create(OpenAIRequest(AgentMode.Auto, "http://127.0.0.1:1/v1"), sink, replayClient,
            implementation: modelLine.Implementation, model: modelLine.Model);
        var replayed = (await replay.ProposeAsync(State(), 2, CancellationToken.None)).Select(c => $"{c.Origin} {c.Key}").ToList();

        Assert.Equal(["openai:proposer -funroll-loops", "openai:proposer -fipa-pta"], recorded);
        Assert.Equal(recorded, replayed);
        Assert.Equal(0, replayClient.Remaining);
        Assert.Equal(0, replayClient.Divergences);
    }

    [Theory]
    [InlineData(null, "http://localhost:8080/v1")]
    [InlineData("", "http://localhost:8080/v1")]
    [InlineData("http://localhost:1234", "http://localhost:1234/v1")]
    [InlineData(" http://gpu-box:8000/v1/ ", "http://gpu-box:8000/v1")]
    [InlineData("localhost:8000", "http://localhost:8000/v1")]
    [InlineData("https://llm.example/openai/v1", "https://llm.example/openai/v1")]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080/v1")]
    public void The_endpoint_is_the_API_base_and_a_bare_server_URL_means_its_v1(string? configured, string expected) =>
        Assert.Equal(expected, OpenAIEndpoint.Resolve(configured).ToString());

    [Theory]
    [InlineData("ftp://host/v1")]
    [InlineData("http://")]
    [InlineData("http://host/v1?key=x")]
    public void An_endpoint_that_is_no_http_URL_is_AP1004(string configured)
    {
        var error = Assert.Throws<AutoPassException>(() => OpenAIEndpoint.Resolve(configured));

        Assert.Equal(DiagnosticCode.InvalidSetting, error.Code);
        Assert.Contains("AutoPassAgentEndpoint", error.Fix);
    }

    private static string Content(JsonNode message) => message["content"] switch
    {
        JsonValue text => text.GetValue<string>(),
        // Content given as parts: [{"type":"text","text":"..."}]
        JsonArray parts => string.Concat(parts.Select(p => p!["text"]?.GetValue<string>())),
        var other => other?.ToJsonString() ?? "",
    };
}
