using System.Globalization;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Reporting;

/// <summary>
/// What report.html shows, as data: the headline, progress, the winner's evidence per benchmark, flag attribution and
/// every trial. Built by <see cref="ReportModelBuilder"/> from a ledger; drawn by <see cref="HtmlReport"/>.
/// </summary>
internal sealed record ReportModel
{
    public required ReportHeadline Headline { get; init; }

    /// <summary>Every trial of the session in trial order.</summary>
    public required IReadOnlyList<TrialRow> Trials { get; init; }

    /// <summary>One point per screening trial, in trial order: the best candidate so far.</summary>
    public required IReadOnlyList<ProgressPoint> Progress { get; init; }

    /// <summary>Per benchmark: the A/A calibration next to the winner's fresh measurement.</summary>
    public required IReadOnlyList<BenchmarkComparison> Benchmarks { get; init; }

    /// <summary>The pinned (or last) confirmation's pairs in time order, with its regimes when its effect moved.</summary>
    public ConfirmationSeries? Confirmation { get; init; }

    /// <summary>Minimization's head-to-head trials: what each flag of the winner is worth.</summary>
    public required IReadOnlyList<FlagWorth> Attribution { get; init; }

    /// <summary>The smallest speedup the session claimed with (0.01 = 1%).</summary>
    public double? MinEffect { get; init; }

    /// <summary>The confidence the session was asked for; screening looks use a stricter per-look level.</summary>
    public double? SessionConfidence { get; init; }

    /// <summary>Lines of the ledger that could not be read.</summary>
    public int SkippedLedgerLines { get; init; }
}

/// <summary>What was pinned and why, with what it was tuned on.</summary>
internal sealed record ReportHeadline
{
    /// <summary>"improved", "baseline", or "unfinished" when the ledger has no pinned line.</summary>
    public required string Outcome { get; init; }
    public required IReadOnlyList<string> BaselineFlags { get; init; }
    public required IReadOnlyList<string> PinnedFlags { get; init; }
    /// <summary>The hot files the flags were pinned on, with their share of the profiled instructions; empty: every file.</summary>
    public IReadOnlyList<(string Path, double? Share)> PinnedFiles { get; init; } = [];
    public ReportInterval? Speedup { get; init; }
    public required string Reason { get; init; }
    public string? Project { get; init; }
    public string? Compiler { get; init; }
    public string? Machine { get; init; }
    public string? Objective { get; init; }
    public string? SearchCost { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public string? Tool { get; init; }
}

/// <summary>A speedup (baseline time / candidate time; above 1 is faster) with its interval and the level it was decided at.</summary>
internal sealed record ReportInterval(double Estimate, double Low, double High, double Confidence, int Pairs, SpeedupDecision Decision)
{
    public static ReportInterval Of(SpeedupVerdict v) => new(v.Speedup, v.Low, v.High, v.Confidence, v.Pairs, v.Decision);

    /// <summary>The same interval seen from the other side: the reference's speedup over the candidate.</summary>
    public ReportInterval Inverted() => new(1 / Estimate, 1 / High, 1 / Low, Confidence, Pairs, Decision switch
    {
        SpeedupDecision.Faster => SpeedupDecision.Slower,
        SpeedupDecision.Slower => SpeedupDecision.Faster,
        var d => d,
    });

    /// <summary>"1.234x [1.200, 1.270]".</summary>
    public string Text => Inv($"{Estimate:0.000}x [{Bound(Low)}, {Bound(High)}]");

    /// <summary>The confidence the interval was computed at, "99%" or "99.55%".</summary>
    public string ConfidenceText => Percent(Confidence);

    public static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Bound(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : v > 0 ? "∞" : "−∞";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Why a trial was measured, which decides its confidence level and its reference.</summary>
internal enum TrialStage
{
    Calibration,
    Screening,
    Minimizing,
    Confirmation,
}

/// <summary>One trial as the report shows it.</summary>
internal sealed record TrialRow
{
    public required int Trial { get; init; }
    public required TrialStage Stage { get; init; }
    public int? Race { get; init; }

    /// <summary>The later race it finished in, when it was carried on from <see cref="Race"/>.</summary>
    public int? LeftRace { get; init; }

    /// <summary>Why it left its race ("decided", "dropped by successive halving", ...), for raced trials.</summary>
    public string? RaceExit { get; init; }

    /// <summary>The candidate's flags, whole (added to the baseline's).</summary>
    public required IReadOnlyList<string> Flags { get; init; }
    public required string Origin { get; init; }
    public string? Rationale { get; init; }

    /// <summary>What it was timed against: "the baseline", or the set it was compared with when minimizing.</summary>
    public required string Reference { get; init; }

    /// <summary>One phrase: "faster", "not shown faster", "build failed", "identical to trial 7".</summary>
    public required string Outcome { get; init; }

    /// <summary>Build or output-check detail when it did not get measured.</summary>
    public string? Detail { get; init; }

    /// <summary>Its own measurement; null when it was not timed (reused, broken, rejected).</summary>
    public ReportInterval? Interval { get; init; }

    /// <summary>The earlier trial whose measurement stands for it (identical binaries); 0 for the baseline.</summary>
    public int? IdenticalTo { get; init; }

    /// <summary>Later trials whose binaries equal this one's and which reuse its measurement.</summary>
    public IReadOnlyList<int> IdenticalLater { get; init; } = [];

    public bool IsScreenedWinner { get; init; }
    public bool IsPinned { get; init; }

    public double? BuildSeconds { get; init; }

    /// <summary>Minutes from the session's start to when its line was written; null for ledgers without times.</summary>
    public double? Minutes { get; init; }

    public string FlagsText => Flags.Count == 0 ? "(baseline flags only)" : string.Join(' ', Flags);
}

/// <summary>The best screened candidate after a trial: the one the winner pick would choose then.</summary>
internal sealed record ProgressPoint(int Trial, double? Minutes, double? Estimate, int? BestTrial, ReportInterval? Best);

/// <summary>One benchmark: the A/A calibration and the winner's fresh measurement, with every pair's ratio.</summary>
internal sealed record BenchmarkComparison(
    string Benchmark,
    ReportInterval? Calibration,
    IReadOnlyList<double> CalibrationRatios,
    ReportInterval? Winner,
    IReadOnlyList<double> WinnerRatios,
    string WinnerLabel,
    double? ResolvableEffect);

/// <summary>What one flag of the winner is worth: the set with it over the set without it, head to head.</summary>
/// <param name="Flag">The flag left out; null when the ledger predates recording it.</param>
/// <param name="Worth">Speedup of the set with the flag over the set without it.</param>
/// <param name="Kept">Minimization kept it: the set without it was confidently slower (or broken).</param>
internal sealed record FlagWorth(int Trial, string? Flag, IReadOnlyList<string> Without, ReportInterval? Worth, bool Kept, string Outcome);

/// <summary>
/// A confirmation as a time series: per pair (round), the speedup (geometric mean over the benchmarks) and the
/// baseline's time (summed over the benchmarks); and the regimes, when the effect moved and the claim is the conservative one's.
/// </summary>
internal sealed record ConfirmationSeries(int Trial, IReadOnlyList<double> Ratios, IReadOnlyList<double> BaselineSeconds, IReadOnlyList<ReportRegime> Regimes, string? Note);

/// <summary>One regime of a confirmation: pairs (1-based, inclusive), its interval, the baseline's median time, and whether the claim is its.</summary>
internal sealed record ReportRegime(int FirstPair, int LastPair, double Estimate, double Low, double High, double BaselineSeconds, bool Claimed);
