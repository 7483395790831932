using System.Globalization;
using AutoPass.Core.Evidence;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Agents.Builtin;

/// <summary>Classifies each verdict: helped, hurt, neutral, inconclusive, or broke the build/output.</summary>
internal sealed class BuiltinDiagnostician : IDiagnostician
{
    public Task<StageReply<DiagnosticianReport>> DiagnoseAsync(DiagnosticianInput input, CancellationToken cancellationToken)
    {
        var lessons = new List<Lesson>();
        foreach (var trial in input.Trials)
        {
            string key = trial.Flags.Count == 0 ? "(baseline)" : string.Join(' ', trial.Flags);
            var outcome = trial.Outcome();
            if (outcome is TrialOutcome.BuildFailed or TrialOutcome.Rejected)
                lessons.Add(new Lesson(LessonKind.Broken, trial.Flags, $"{key} did not build ({Ledger.EnumText(trial.BuildStatus)}): {trial.BuildMessage ?? "no message"}"));
            else if (outcome is TrialOutcome.WrongOutput)
                lessons.Add(new Lesson(LessonKind.Broken, trial.Flags, $"{key} changed the program's output ({Ledger.EnumText(trial.OutputCheck)}); never use it."));
            else if (trial.Verdict is { } v)
            {
                string numbers = string.Create(CultureInfo.InvariantCulture, $"{v.Speedup:0.000}x [{v.Low:0.000}, {v.High:0.000}]");
                lessons.Add(v.Decision switch
                {
                    SpeedupDecision.Faster => new Lesson(LessonKind.Helped, trial.Flags, $"{key} helped: {numbers}; worth combining."),
                    SpeedupDecision.Slower => new Lesson(LessonKind.Hurt, trial.Flags, $"{key} hurt: {numbers}; avoid it."),
                    SpeedupDecision.NotFaster => new Lesson(LessonKind.Neutral, trial.Flags, $"{key} made no useful difference: {numbers}."),
                    _ => new Lesson(LessonKind.Inconclusive, trial.Flags, $"{key} is undecided: {numbers}."),
                });
            }
        }
        return Task.FromResult(StageReply<DiagnosticianReport>.Of(new DiagnosticianReport(lessons)));
    }
}
