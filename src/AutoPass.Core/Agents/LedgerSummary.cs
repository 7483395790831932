using System.Globalization;
using System.Text;
using AutoPass.Core.Agents.Builtin;
using AutoPass.Core.Evidence;
using AutoPass.Core.Search;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Agents;

/// <summary>One trial, reduced to what a proposal needs: its flags and how it came out.</summary>
/// <param name="Outcome">faster, slower, not-faster, inconclusive, build-failed, rejected, output-differs.</param>
internal sealed record TrialDigest(IReadOnlyList<string> Flags, string Outcome, double? Speedup = null, double? Low = null, double? High = null)
{
    public string Key => string.Join(' ', Flags);

    public override string ToString() => Speedup is { } s
        ? string.Create(CultureInfo.InvariantCulture, $"{Key} -> {s:0.000}x [{Low:0.000}, {High:0.000}] {Outcome}")
        : $"{Key} -> {Outcome}";
}

/// <summary>
/// The ledger as a proposal needs it: best so far, what helped, what hurt, what broke, what is untried.
/// Bounded, so it fits a model's context however long the session runs; the ledger itself is never sent.
/// </summary>
internal sealed record LedgerSummary(
    TrialDigest? Best,
    IReadOnlyList<TrialDigest> Helped,
    IReadOnlyList<TrialDigest> Hurt,
    IReadOnlyList<TrialDigest> Broken,
    IReadOnlyList<TrialDigest> Neutral,
    IReadOnlyList<string> Untried,
    IReadOnlySet<string> TriedKeys,
    int TrialsLeft)
{
    private const int MaxListed = 8;

    public static LedgerSummary From(SearchState state)
    {
        var digests = state.Trials.Where(t => t.Phase != TrialPhase.Calibration).Select(Digest).ToList();
        var helped = digests.Where(d => d.Outcome == "faster").OrderByDescending(d => d.Speedup).ToList();
        var hurt = digests.Where(d => d.Outcome == "slower").OrderBy(d => d.Speedup).ToList();
        var broken = digests.Where(d => d.Outcome is "build-failed" or "rejected" or "output-differs").ToList();
        var neutral = digests.Where(d => d.Outcome is "not-faster" or "inconclusive").ToList();
        var triedFlags = state.Trials.SelectMany(t => t.Flags).ToHashSet(StringComparer.Ordinal);
        var untried = TunableFlags.For(state.Catalog).Select(e => e.Flag).Where(f => !triedFlags.Contains(f)).ToList();
        var best = digests.Where(d => d.Speedup is not null && d.Outcome == "faster").MaxBy(d => d.Speedup);
        return new LedgerSummary(best, helped, hurt, broken, neutral, untried,
            state.Trials.Select(t => string.Join(' ', t.Flags)).ToHashSet(StringComparer.Ordinal), state.TrialsLeft);
    }

    private static TrialDigest Digest(Evidence.TrialRecord trial)
    {
        switch (trial.Outcome())
        {
            case TrialOutcome.BuildFailed: return new TrialDigest(trial.Flags, "build-failed");
            case TrialOutcome.Rejected: return new TrialDigest(trial.Flags, "rejected");
            case TrialOutcome.WrongOutput: return new TrialDigest(trial.Flags, "output-differs");
        }
        if (trial.Verdict is not { } v) return new TrialDigest(trial.Flags, "inconclusive");
        string outcome = v.Decision switch
        {
            SpeedupDecision.Faster => "faster",
            SpeedupDecision.Slower => "slower",
            SpeedupDecision.NotFaster => "not-faster",
            _ => "inconclusive",
        };
        return new TrialDigest(trial.Flags, outcome, v.Speedup, v.Low, v.High);
    }

    /// <summary>The summary as prompt text, cut at <paramref name="maxChars"/>.</summary>
    public string ToPromptText(int maxChars = 3000)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Trials left: {TrialsLeft}. Tried so far: {TriedKeys.Count}.");
        text.AppendLine(Best is null ? "Best so far: nothing confidently faster than the baseline yet." : $"Best so far: {Best}");
        Section(text, "Helped (confidently faster)", Helped);
        Section(text, "Hurt (confidently slower)", Hurt);
        Section(text, "Broke the build or changed the output (never propose again)", Broken);
        Section(text, "No clear effect", Neutral);
        if (Untried.Count > 0)
            text.AppendLine("Untried flags known to matter: " + string.Join(' ', Untried.Take(24)) + (Untried.Count > 24 ? " ..." : ""));
        string result = text.ToString();
        return result.Length <= maxChars ? result : result[..maxChars] + "\n(summary cut)";
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<TrialDigest> items)
    {
        if (items.Count == 0) return;
        text.AppendLine(CultureInfo.InvariantCulture, $"{title}: {items.Count}");
        foreach (var item in items.Take(MaxListed)) text.AppendLine("  " + item);
        if (items.Count > MaxListed) text.AppendLine(CultureInfo.InvariantCulture, $"  ... and {items.Count - MaxListed} more");
    }
}
