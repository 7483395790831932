using System.Text.Json;
using System.Text.Json.Nodes;
using AutoPass.Core.Agents;
using AutoPass.Core.Agents.Model;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;
using static AutoPass.Core.Tests.Agents.AgentTestData;

namespace AutoPass.Core.Tests.Agents;

/// <summary>What one model reply may bring in: bounded text, a bounded number of items and of flags per item.</summary>
public sealed class ReplyBoundsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reply_longer_than_64_KiB_is_an_invalid_reply_even_when_it_is_valid_JSON(bool stream)
    {
        // Valid proposals whose rationale alone is 100 000 characters, twice (the reply and its repair).
        string huge = new JsonObject
        {
            ["proposals"] = new JsonArray(new JsonObject
            {
                ["flags"] = new JsonArray("-funroll-loops"),
                ["rationale"] = new string('x', 100_000),
                ["expected_effect"] = "faster",
            }),
        }.ToJsonString();
        using var server = new FakeOllamaServer([new ChatScript.Reply(GoodAnalyst), new ChatScript.Reply(huge), new ChatScript.Reply(huge)]);
        var sink = new RecordingDiagnosticSink();
        var source = await AgentStages.CreateAsync(Request(AgentMode.Auto, server.Endpoint), sink, FastOptions(stream), CancellationToken.None);

        var candidates = await source.ProposeAsync(State(), 1, CancellationToken.None);

        Assert.All(candidates, c => Assert.Equal("builtin:proposer", c.Origin));
        Assert.Equal([DiagnosticCode.AgentReplyInvalid], sink.WarningCodes);
        var failed = source.Exchanges.Single(e => e.Stage == "proposer" && e.Implementation == "ollama");
        Assert.StartsWith("invalid-reply", failed.Failure);
        Assert.Contains($"more than the {ModelConversation.MaxReplyChars} allowed", failed.Failure);
        // What is kept of it (the ledger's attempt, the repair round's message) is cut to the bound.
        Assert.All(failed.Attempts, a => Assert.True(a.Response!.Length < ModelConversation.MaxReplyChars + 100));
        Assert.True(server.ChatRequests[2].ToJsonString().Length < 2 * ModelConversation.MaxReplyChars);
    }

    [Fact]
    public void At_most_16_proposals_are_taken_from_one_reply()
    {
        string reply = Proposals([.. Enumerable.Range(1, 40).Select(i => new[] { $"--param=max-unroll-times={i}" })]);

        var (report, error) = ReplySchemas.ReadProposer(JsonDocument.Parse(reply).RootElement);

        Assert.Null(error);
        Assert.Equal(ReplySchemas.MaxItems, report!.Proposals.Count);
        Assert.Equal(["--param=max-unroll-times=1"], report.Proposals[0].Flags);
    }

    [Fact]
    public void A_proposal_with_more_than_32_flags_makes_the_reply_invalid()
    {
        string reply = Proposals(["-funroll-loops"], [.. Enumerable.Range(1, 33).Select(i => $"--param=max-unroll-times={i}")]);

        var (report, error) = ReplySchemas.ReadProposer(JsonDocument.Parse(reply).RootElement);

        Assert.Null(report);
        Assert.Equal("proposals[1].flags has 33 entries; give at most 32", error);
    }
}
