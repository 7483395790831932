namespace AutoPass.Core.Agents.Model;

/// <summary>The analyst stage answered by a model.</summary>
internal sealed class ModelAnalyst(ModelConversation conversation) : IAnalyst
{
    public Task<StageReply<AnalystReport>> AnalyzeAsync(AnalystInput input, CancellationToken cancellationToken)
    {
        string user = $"""
            {ModelPrompts.Compiler(input.Catalog, input.BaselineFlags)}
            {ModelPrompts.Catalog(input.Catalog)}
            {ModelPrompts.Evidence(input.Evidence)}
            State up to 6 hypotheses about what limits this program's speed that compiler flags could change.
            For each, name the flags (exact spellings from the catalog) that would test it, and a priority from 1 (try first) to 5.
            """;
        return conversation.AskAsync("analyst_report", ModelPrompts.Rules, user, ReplySchemas.Analyst, ReplySchemas.ReadAnalyst, cancellationToken);
    }
}
