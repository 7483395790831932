namespace AutoPass.Core.Agents.Model;

/// <summary>The proposer stage answered by a model.</summary>
internal sealed class ModelProposer(ModelConversation conversation) : IProposer
{
    public Task<StageReply<ProposerReport>> ProposeAsync(ProposerInput input, CancellationToken cancellationToken)
    {
        string user = $"""
            {ModelPrompts.Compiler(input.Catalog, input.BaselineFlags)}
            {ModelPrompts.Catalog(input.Catalog)}
            {ModelPrompts.Hypotheses(input.Hypotheses)}
            {ModelPrompts.Lessons(input.Lessons)}
            Session so far:
            {input.Summary.ToPromptText()}
            Propose {input.Count} new experiments. Each is a list of flags added to the baseline flags (one flag per
            string, exact spellings), a one-sentence rationale and the expected effect. Do not repeat tried flag sets;
            combine winners when that is promising; never propose what broke the build or changed the output.
            """;
        return conversation.AskAsync("proposer_report", ModelPrompts.Rules, user, ReplySchemas.Proposer, ReplySchemas.ReadProposer, cancellationToken);
    }
}
