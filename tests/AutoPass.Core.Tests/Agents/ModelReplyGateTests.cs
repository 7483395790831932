using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Session;
using AutoPass.Core.Tests.Evidence;
using AutoPass.Core.Workload;
using static AutoPass.Core.Tests.Agents.AgentTestData;

namespace AutoPass.Core.Tests.Agents;

/// <summary>
/// A model's reply is one more source of flags: a whole session on a fake Ollama server whose proposer offers an option
/// that writes files wherever it says, with a compiler that logs its command lines. The option is dropped with its
/// reason and no compiler ever runs with it, while the model's sound proposal is built and timed.
/// </summary>
[Trait("Category", "Real")]
public sealed class ModelReplyGateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-reply-gate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_proposed_fdump_with_a_path_is_dropped_and_reaches_no_compiler()
    {
        var compiler = new LoggingCompiler(_dir);
        using var server = new FakeOllamaServer([
            new ChatScript.Reply(GoodAnalyst),
            new ChatScript.Reply(Lessons("helped", "-funroll-loops")),
            new ChatScript.Reply(Proposals(["-fdump-tree-all=/tmp/autopass-dump"], ["-fdump-tree-all=dump.txt", "-fno-peel-loops"])),
        ]);
        var request = new TuningRequest
        {
            SourceDir = CProjectFixtures.Path("faulty"),
            OutputDir = Path.Combine(_dir, "pinned"),
            IntermediateDir = Path.Combine(_dir, "obj"),
            Benchmarks = [new BenchmarkSpec("ok", [])],
            MaxTrials = 4,
            RaceSize = 1,
            Agents = AgentMode.Auto,
            OllamaEndpoint = server.Endpoint,
            CCompiler = compiler.Path,
        };

        var result = await new TuningSession(request, new RecordingDiagnosticSink()).RunAsync(CancellationToken.None);

        Assert.Contains(result.Trials, t => t.Origin == "ollama:proposer" && t.Flags.SequenceEqual(["-fno-peel-loops"]));
        Assert.Contains("-fno-peel-loops", compiler.Log);
        Assert.DoesNotContain("-fdump", compiler.Log);
        var proposer = LedgerJson.Read(result.LedgerPath).Where(e => e.Type == "agent").Select(e => e.Entry)
            .First(e => e["stage"]!.GetValue<string>() == "proposer" && e["implementation"]!.GetValue<string>() == "ollama");
        foreach (var flag in new[] { "-fdump-tree-all=/tmp/autopass-dump", "-fdump-tree-all=dump.txt" })
            Assert.Contains(proposer["dropped"]!.AsArray(), d => d!["flag"]!.GetValue<string>() == flag && d["reason"]!.GetValue<string>() == "writes files");
    }
}
