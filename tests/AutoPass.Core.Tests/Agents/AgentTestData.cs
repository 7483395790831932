using System.Text.Json.Nodes;
using AutoPass.Core.Check;
using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Search;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;
using NuGet.Versioning;

namespace AutoPass.Core.Tests.Agents;

/// <summary>A hand-built gcc catalog, search states, requests and scripted model replies.</summary>
internal static class AgentTestData
{
    public static FlagCatalog Catalog { get; } = new(
        new CompilerInfo("gcc", new NuGetVersion(13, 2, 0), "/usr/bin/gcc", "gcc (GCC) 13.2.0"),
        [
            new FlagDefinition("-funroll-loops", FlagKind.Toggle, EnabledAtBaseline: false),
            new FlagDefinition("-fpeel-loops", FlagKind.Toggle, EnabledAtBaseline: true),
            new FlagDefinition("-fvect-cost-model", FlagKind.Enum, Values: ["unlimited", "dynamic", "cheap", "very-cheap"]),
            new FlagDefinition("-ftree-vectorize", FlagKind.Toggle, EnabledAtBaseline: true),
            new FlagDefinition("-finline-functions", FlagKind.Toggle, EnabledAtBaseline: true),
            new FlagDefinition("-fipa-pta", FlagKind.Toggle, EnabledAtBaseline: false),
            new FlagDefinition("-fomit-frame-pointer", FlagKind.Toggle, EnabledAtBaseline: true),
            new FlagDefinition("-fgcse", FlagKind.Toggle, EnabledAtBaseline: true),
            new FlagDefinition("max-unroll-times", FlagKind.Parameter, Min: 0, Max: 1024, Default: 8, Syntax: FlagSyntax.GccParam),
            new FlagDefinition("max-inline-insns-auto", FlagKind.Parameter, Min: 0, Max: 2147483647, Default: 15, Syntax: FlagSyntax.GccParam),
        ]);

    public static SearchState State(params TrialRecord[] trials) =>
        new(Catalog, new FlagPolicy(new PolicyOptions(), Catalog), ["-O3"], trials, TrialsLeft: 20, Seed: 7);

    public static TrialRecord Trial(int n, SpeedupDecision decision, double speedup, params string[] flags) => new()
    {
        Trial = n,
        Phase = TrialPhase.Screen,
        Flags = flags,
        Origin = "test",
        BuildStatus = BuildStatus.Ok,
        OutputCheck = OutputCheckStatus.Equal,
        Verdict = new SpeedupVerdict(speedup, speedup - 0.02, speedup + 0.02, 0.95, decision, 20),
    };

    public static TuningRequest Request(AgentMode mode, string? endpoint, string? model = null) => new()
    {
        SourceDir = "/src",
        OutputDir = "/src/autopass",
        IntermediateDir = "/src/obj/autopass",
        Benchmarks = [new BenchmarkSpec("bench", [])],
        Agents = mode,
        OllamaEndpoint = endpoint,
        Model = model,
        Seed = 1234,
    };

    public static string Analyst(params (string Statement, string[] Flags, int Priority)[] hypotheses) => new JsonObject
    {
        ["hypotheses"] = new JsonArray(hypotheses.Select(h => (JsonNode)new JsonObject
        {
            ["statement"] = h.Statement,
            ["flags"] = new JsonArray(h.Flags.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            ["priority"] = h.Priority,
        }).ToArray()),
    }.ToJsonString();

    public static string GoodAnalyst => Analyst(("The hot loop in kernel() is not unrolled.", ["-funroll-loops"], 1));

    public static string Proposals(params string[][] flagLists) => new JsonObject
    {
        ["proposals"] = new JsonArray(flagLists.Select(flags => (JsonNode)new JsonObject
        {
            ["flags"] = new JsonArray(flags.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            ["rationale"] = "because the loop is hot",
            ["expected_effect"] = "a few percent faster",
        }).ToArray()),
    }.ToJsonString();

    public static string Lessons(string kind, params string[] flags) => new JsonObject
    {
        ["lessons"] = new JsonArray(new JsonObject
        {
            ["kind"] = kind,
            ["flags"] = new JsonArray(flags.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            ["text"] = "unrolling removed loop overhead in kernel()",
        }),
    }.ToJsonString();

    /// <summary>Short retry delays; failure cases pass a short time-out so they take well under a second each.</summary>
    public static Core.Agents.AgentOptions FastOptions(bool stream = false, int timeoutMs = 10_000) => new()
    {
        CallTimeout = TimeSpan.FromMilliseconds(timeoutMs),
        Retries = 1,
        RetryDelay = TimeSpan.FromMilliseconds(20),
        Stream = stream,
        Environment = _ => null,
    };

    public static string TempLedgerPath() => Path.Combine(Path.GetTempPath(), "autopass-agents-tests", $"{Guid.NewGuid():N}.jsonl");
}
