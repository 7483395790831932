using AutoPass.Core.Evidence;

namespace AutoPass.Core.Agents;

internal enum LessonKind { Helped, Hurt, Neutral, Inconclusive, Broken }

/// <summary>What one verdict teaches the next proposals.</summary>
internal sealed record Lesson(LessonKind Kind, IReadOnlyList<string> Flags, string Text);

/// <param name="Trials">The trials not explained yet.</param>
internal sealed record DiagnosticianInput(IReadOnlyList<TrialRecord> Trials, IReadOnlyList<string> BaselineFlags);

internal sealed record DiagnosticianReport(IReadOnlyList<Lesson> Lessons);

/// <summary>Reads verdicts and explains gains and regressions as lessons.</summary>
internal interface IDiagnostician
{
    Task<StageReply<DiagnosticianReport>> DiagnoseAsync(DiagnosticianInput input, CancellationToken cancellationToken);
}
