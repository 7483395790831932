using System.Globalization;
using System.Text;

namespace AutoPass.Core.Agents.Model;

/// <summary>The diagnostician stage answered by a model.</summary>
internal sealed class ModelDiagnostician(ModelConversation conversation) : IDiagnostician
{
    public Task<StageReply<DiagnosticianReport>> DiagnoseAsync(DiagnosticianInput input, CancellationToken cancellationToken)
    {
        var verdicts = new StringBuilder();
        foreach (var trial in input.Trials.TakeLast(12))
        {
            string flags = trial.Flags.Count == 0 ? "(baseline)" : string.Join(' ', trial.Flags);
            string result = trial.Verdict is { } v
                ? string.Create(CultureInfo.InvariantCulture, $"speedup {v.Speedup:0.000}x [{v.Low:0.000}, {v.High:0.000}] {v.Decision}")
                : $"build {trial.BuildStatus}, output {trial.OutputCheck}";
            string message = trial.BuildMessage is { Length: > 0 } m ? $" ({PromptText.Bound(m, 200)})" : "";
            verdicts.AppendLine($"  trial {trial.Trial}: {flags} -> {result}{message}");
            if (trial.RemarkChanges is { Length: > 0 } changes)
                verdicts.AppendLine($"    what the compiler did differently: {PromptText.Bound(changes.Replace('\n', ';'), 600)}");
        }
        string user = $"""
            Baseline flags: {string.Join(' ', input.BaselineFlags)}.
            Verdicts of the latest trials (speedup = baseline time / candidate time; above 1 is faster):
            {verdicts}
            For each trial write one lesson: kind (helped, hurt, neutral, inconclusive, broken), the flags it is about,
            and a sentence explaining the likely reason, useful for choosing the next experiments.
            """;
        return conversation.AskAsync("diagnostician_report", ModelPrompts.Rules, user, ReplySchemas.Diagnostician, ReplySchemas.ReadDiagnostician, cancellationToken);
    }
}
