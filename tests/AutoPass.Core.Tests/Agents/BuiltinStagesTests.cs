using AutoPass.Core.Agents;
using AutoPass.Core.Agents.Builtin;
using AutoPass.Core.Agents.Ollama;
using AutoPass.Core.Check;
using AutoPass.Core.Evidence;
using AutoPass.Core.Statistics;
using static AutoPass.Core.Tests.Agents.AgentTestData;

namespace AutoPass.Core.Tests.Agents;

public sealed class BuiltinStagesTests
{
    [Fact]
    public async Task Analyst_RaisesVectorizationWhenRemarksSayLoopsWereNotVectorized()
    {
        var evidence = new ProgramEvidence([new HotFunction("kernel", 0.3)], "loop.c:12:5: missed: couldn't vectorize loop");
        var report = (await new BuiltinAnalyst().AnalyzeAsync(new AnalystInput(evidence, Catalog, ["-O3"]), CancellationToken.None)).Output!;

        var first = report.Hypotheses[0];
        Assert.Equal(1, first.Priority);
        Assert.Contains("-fvect-cost-model=unlimited", first.Flags);
        Assert.DoesNotContain("-fvect-cost-model=dynamic", first.Flags);
        Assert.All(report.Hypotheses.SelectMany(h => h.Flags), f => Assert.True(Catalog.Knows(f), f));
    }

    [Fact]
    public async Task Proposer_FlipsFlagsKnownToMatter_AndCombinesWinners()
    {
        var state = State(Trial(1, SpeedupDecision.Faster, 1.06, "-funroll-loops"), Trial(2, SpeedupDecision.Faster, 1.04, "-fipa-pta"),
            Trial(3, SpeedupDecision.Slower, 0.97, "-fno-inline-functions"));
        var hypotheses = (await new BuiltinAnalyst().AnalyzeAsync(new AnalystInput(ProgramEvidence.None, Catalog, ["-O3"]), CancellationToken.None)).Output!;
        var lessons = (await new BuiltinDiagnostician().DiagnoseAsync(new DiagnosticianInput(state.Trials, ["-O3"]), CancellationToken.None)).Output!;
        var input = new ProposerInput(hypotheses.Hypotheses, LedgerSummary.From(state), lessons.Lessons, Catalog, ["-O3"], 6);

        var proposals = (await new BuiltinProposer().ProposeAsync(input, CancellationToken.None)).Output!.Proposals;

        Assert.Equal(["-funroll-loops", "-fipa-pta"], proposals[0].Flags);
        var keys = proposals.Select(p => string.Join(' ', p.Flags)).ToList();
        // The unroller's parameters come with the unroller: alone they would rebuild the baseline's binaries.
        Assert.Contains("-funroll-loops --param=max-unroll-times=16", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("--param=max-unroll", StringComparison.Ordinal));
        Assert.DoesNotContain("-funroll-loops", keys); // tried
        Assert.DoesNotContain("-fno-inline-functions", keys); // hurt
        Assert.Equal(6, proposals.Count);
    }

    [Fact]
    public async Task Diagnostician_ClassifiesEveryKindOfVerdict()
    {
        TrialRecord[] trials =
        [
            Trial(1, SpeedupDecision.Faster, 1.1, "-funroll-loops"),
            Trial(2, SpeedupDecision.Slower, 0.9, "-fipa-pta"),
            Trial(3, SpeedupDecision.NotFaster, 1.0, "-fno-gcse"),
            Trial(4, SpeedupDecision.Inconclusive, 1.01, "-fno-peel-loops"),
            Trial(5, SpeedupDecision.Faster, 1.2, "-fno-tree-vectorize") with { OutputCheck = OutputCheckStatus.Differs },
            Trial(6, SpeedupDecision.Faster, 1.2, "--param=max-unroll-times=16") with { BuildStatus = BuildStatus.Failed, BuildMessage = "ICE", Verdict = null },
        ];
        var lessons = (await new BuiltinDiagnostician().DiagnoseAsync(new DiagnosticianInput(trials, ["-O3"]), CancellationToken.None)).Output!.Lessons;

        Assert.Equal([LessonKind.Helped, LessonKind.Hurt, LessonKind.Neutral, LessonKind.Inconclusive, LessonKind.Broken, LessonKind.Broken],
            lessons.Select(l => l.Kind));
        Assert.Contains("ICE", lessons[5].Text);
    }

    [Fact]
    public void LedgerSummary_StaysBoundedHoweverLongTheSession()
    {
        var trials = Enumerable.Range(1, 500)
            .Select(i => Trial(i, i % 3 == 0 ? SpeedupDecision.Faster : SpeedupDecision.Slower, 1 + (i % 7) / 100.0, $"--param=max-unroll-times={i}"))
            .ToArray();
        var summary = LedgerSummary.From(State(trials));

        string text = summary.ToPromptText(2000);

        Assert.True(text.Length <= 2000 + 20, $"{text.Length} characters");
        Assert.Contains("Best so far: --param=max-unroll-times=", text);
        Assert.Contains("more", text);
        Assert.Equal(500, summary.TriedKeys.Count);
    }

    [Theory]
    [InlineData(null, null, "http://localhost:11434/")]
    [InlineData(null, "gpu-box:9999", "http://gpu-box:9999/")]
    [InlineData(null, "gpu-box", "http://gpu-box:11434/")]
    [InlineData(null, "0.0.0.0", "http://127.0.0.1:11434/")]
    [InlineData(null, ":11500", "http://localhost:11500/")]
    [InlineData(null, "https://ollama.example.com", "https://ollama.example.com/")]
    [InlineData("http://10.0.0.5:11434", "ignored:1", "http://10.0.0.5:11434/")]
    public void OllamaEndpoint_PrefersTheProperty_ThenOllamaHost_ThenTheDefault(string? configured, string? ollamaHost, string expected)
    {
        Assert.Equal(expected, OllamaEndpoint.Resolve(configured, ollamaHost).ToString());
    }
}
