using System.Diagnostics;
using AutoPass.Core.Evidence;

namespace AutoPass.Core.Search;

/// <summary>
/// How much search is left: measured builds (AutoPassMaxTrials), proposals (a build identical to one measured
/// before costs no trial; proposals known to repeat a binary are not built at all, see SearchState.WasTried, so
/// the cap of ten times the trials only stops a search whose sources keep finding binaries it had), and time.
/// </summary>
internal sealed class SearchBudget(int maxTrials, TimeSpan? timeLimit = null, Func<TimeSpan>? elapsed = null)
{
    public SearchBudget(int maxTrials, TimeSpan timeLimit, Stopwatch clock) : this(maxTrials, timeLimit, () => clock.Elapsed) { }

    public int MaxTrials { get; } = maxTrials;

    /// <summary>Screening trials that counted against the budget (<see cref="TrialOutcomes.CountsAgainstBudget"/>).</summary>
    public int Built { get; private set; }

    /// <summary>Screening trials of any outcome.</summary>
    public int Proposed { get; private set; }

    public int TrialsLeft => MaxTrials - Built;

    public int ProposalsLeft => ProposalsPerTrial * MaxTrials - Proposed;

    public const int ProposalsPerTrial = 10;

    public bool TrialsUsedUp => Built >= MaxTrials;

    public bool TimeUsedUp => TimeLeft <= TimeSpan.Zero;

    /// <summary>The time left of AutoPassMaxMinutes (negative once over), or null when the budget has no time limit.</summary>
    public TimeSpan? TimeLeft => timeLimit is { } limit && elapsed is not null ? limit - elapsed() : null;

    public bool AllowsAnother => !TrialsUsedUp && ProposalsLeft > 0 && !TimeUsedUp;

    public void Count(TrialRecord trial)
    {
        if (trial.Phase != TrialPhase.Screen) return;
        Proposed++;
        if (trial.CountsAgainstBudget()) Built++;
    }

    public void CountAll(IEnumerable<TrialRecord> trials)
    {
        foreach (var trial in trials) Count(trial);
    }
}
