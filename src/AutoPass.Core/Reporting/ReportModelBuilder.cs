using System.Globalization;
using AutoPass.Core.Evidence;
using AutoPass.Core.Measurement;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Reporting;

/// <summary>Reads a session's ledger lines (and its lock file) into the <see cref="ReportModel"/> report.html draws.</summary>
internal static class ReportModelBuilder
{
    public static ReportModel Build(ReportSource source)
    {
        var trials = source.Trials;
        var confirmations = trials.Where(t => t.Phase == TrialPhase.Confirm).ToList();
        var pinnedFlags = source.Lock?.Flags ?? source.Pinned?.Flags ?? [];
        string outcome = source.Lock?.Outcome ?? source.Pinned?.Outcome ?? "unfinished";
        var pinned = outcome == "improved" ? confirmations.LastOrDefault(c => c.Flags.SequenceEqual(pinnedFlags)) : null;
        // The confirmation the report shows: the pinned one, else the last one timed.
        var shown = pinned ?? confirmations.LastOrDefault(c => c.Benchmarks.Count > 0);
        int? screenedWinner = confirmations.Select(c => c.Confirms).LastOrDefault(c => c is not null);
        var start = source.Session?.At ?? trials.FirstOrDefault()?.At;
        double? Minutes(TrialRecord t) => start is { } s && t.At is { } at ? (at - s).TotalMinutes : null;

        var twins = trials.Where(t => t.Outcome() == TrialOutcome.Reused && t.ReusedFrom is > 0)
            .GroupBy(t => t.ReusedFrom!.Value).ToDictionary(g => g.Key, g => (IReadOnlyList<int>)g.Select(t => t.Trial).ToList());
        var rows = trials.Select(t => Row(t, Minutes(t)) with
        {
            IdenticalLater = twins.GetValueOrDefault(t.Trial, []),
            IsScreenedWinner = t.Trial == screenedWinner,
            IsPinned = ReferenceEquals(t, pinned),
        }).ToList();

        return new ReportModel
        {
            Headline = Headline(source, outcome, pinnedFlags, start),
            Trials = rows,
            Progress = Progress(trials, Minutes),
            Benchmarks = Benchmarks(source, shown),
            Confirmation = Series(shown),
            Attribution = trials.Where(t => t.Phase == TrialPhase.Minimize).Select(Worth).ToList(),
            MinEffect = source.Noise?.MinEffect ?? trials.Select(t => t.Verdict?.MinEffect).FirstOrDefault(m => m > 0),
            SessionConfidence = source.Lock?.Speedup?.Confidence,
            SkippedLedgerLines = source.SkippedLines,
        };
    }

    /// <summary>A confirmation's pairs over time, with its regimes; null without a timed confirmation.</summary>
    internal static ConfirmationSeries? Series(TrialRecord? confirmation)
    {
        if (confirmation is null || confirmation.Benchmarks.Count == 0) return null;
        var samples = confirmation.Benchmarks.Select(b => b.ObjectiveSamples()).ToList();
        int pairs = samples.Min(s => s.Count);
        if (pairs == 0) return null;
        var ratios = Enumerable.Range(0, pairs).Select(i => Math.Exp(samples.Average(s => Math.Log(s.Baseline[i] / s.Candidate[i])))).ToList();
        var baseline = Enumerable.Range(0, pairs).Select(i => confirmation.Benchmarks.Sum(b => b.BaselineSeconds[i])).ToList();
        var regimes = (confirmation.Regimes ?? []).Select(r => new ReportRegime(r.FirstPair, r.LastPair, r.Speedup, r.Low, r.High, r.BaselineSeconds, r.Claimed)).ToList();
        return new ConfirmationSeries(confirmation.Trial, ratios, baseline, regimes, confirmation.RegimeNote);
    }

    /// <summary>One trial as the table shows it; a trial that was not timed has no interval, only what it is identical to.</summary>
    internal static TrialRow Row(TrialRecord t, double? minutes = null)
    {
        var kind = t.Outcome();
        bool ownMeasurement = kind == TrialOutcome.Measured && t.Verdict is { Pairs: > 0 };
        return new TrialRow
        {
            Trial = t.Trial,
            Stage = Stage(t.Phase),
            Race = t.Race,
            LeftRace = t.LeftRace,
            RaceExit = t.RaceExit switch
            {
                Racing.RaceExit.Decided => "decided",
                Racing.RaceExit.Dropped => "dropped by successive halving",
                Racing.RaceExit.Unfinished => "race ended undecided",
                Racing.RaceExit.Outclassed => "left behind a speedup already shown",
                _ => null,
            },
            Flags = t.Flags,
            Origin = t.Origin,
            Rationale = t.Rationale,
            Reference = t.Phase switch
            {
                TrialPhase.Calibration => "a copy of the baseline (A/A)",
                TrialPhase.Minimize => t.ComparedWith is { } with ? "the set " + string.Join(' ', with) : "the set with the flag left out",
                _ => "the baseline",
            },
            Outcome = OutcomeText(t, kind),
            Detail = kind is TrialOutcome.Rejected or TrialOutcome.BuildFailed ? t.BuildMessage
                : kind == TrialOutcome.WrongOutput || (kind == TrialOutcome.Measured && !ownMeasurement) ? t.OutputCheckMessage : null,
            Interval = ownMeasurement ? ReportInterval.Of(t.Verdict!) : null,
            IdenticalTo = kind switch { TrialOutcome.SameAsBaseline => 0, TrialOutcome.Reused => t.ReusedFrom, _ => null },
            BuildSeconds = t.BuildSeconds,
            Minutes = minutes,
        };
    }

    private static TrialStage Stage(TrialPhase phase) => phase switch
    {
        TrialPhase.Calibration => TrialStage.Calibration,
        TrialPhase.Minimize => TrialStage.Minimizing,
        TrialPhase.Confirm => TrialStage.Confirmation,
        _ => TrialStage.Screening,
    };

    private static string OutcomeText(TrialRecord t, TrialOutcome kind) => kind switch
    {
        TrialOutcome.Rejected => "rejected",
        TrialOutcome.BuildFailed => "build failed",
        TrialOutcome.WrongOutput => "output check " + Ledger.EnumText(t.OutputCheck),
        TrialOutcome.SameAsBaseline => "identical to the baseline (not timed)",
        TrialOutcome.Reused when t.ReusedFrom is { } earlier => $"identical to trial {earlier}",
        TrialOutcome.Reused => "identical to the set it is compared with (not timed)",
        _ when t.Verdict is null => "not timed",
        // An A/A interval that leaves out 1.0 is a difference between two copies of one program: noise or layout, never the flags.
        _ when t.Phase == TrialPhase.Calibration => t.Verdict.Low > 1 || t.Verdict.High < 1
            ? "the two copies differ: noise or layout, not flags" : "no difference between the copies",
        _ => t.Verdict.Decision switch
        {
            SpeedupDecision.Faster => "faster",
            SpeedupDecision.Slower => "slower",
            SpeedupDecision.NotFaster => "not shown faster",
            _ => "undecided",
        },
    };

    /// <summary>After each screening trial, the candidate the winner pick would choose so far: confidently faster, no benchmark slower, best lower bound.</summary>
    private static IReadOnlyList<ProgressPoint> Progress(IReadOnlyList<TrialRecord> trials, Func<TrialRecord, double?> minutes)
    {
        var points = new List<ProgressPoint>();
        TrialRecord? best = null;
        foreach (var t in trials.Where(t => t.Phase == TrialPhase.Screen))
        {
            bool measured = t.Outcome() == TrialOutcome.Measured && t.Verdict is { Pairs: > 0 };
            if (measured && t.Verdict!.Decision == SpeedupDecision.Faster && t.SlowsNoBenchmark()
                && (best is null || t.Verdict.Low > best.Verdict!.Low || (t.Verdict.Low == best.Verdict.Low && t.Flags.Count < best.Flags.Count)))
                best = t;
            points.Add(new ProgressPoint(t.Trial, minutes(t), measured ? t.Verdict!.Speedup : null, best?.Trial, best is null ? null : ReportInterval.Of(best.Verdict!)));
        }
        return points;
    }

    private static IReadOnlyList<BenchmarkComparison> Benchmarks(ReportSource source, TrialRecord? winner)
    {
        var calibration = source.Trials.FirstOrDefault(t => t.Phase == TrialPhase.Calibration);
        var names = (calibration?.Benchmarks ?? winner?.Benchmarks ?? []).Select(b => b.Benchmark).ToList();
        string label = winner is null ? "no winner was confirmed" : $"winner, trial {winner.Trial}";
        return names.Select(name =>
        {
            var aa = calibration?.Benchmarks.FirstOrDefault(b => b.Benchmark == name);
            var won = winner?.Benchmarks.FirstOrDefault(b => b.Benchmark == name);
            double? resolvable = source.Noise?.Profiles.FirstOrDefault(p => p.Benchmark == name)?.Profile.ResolvableEffect;
            return new BenchmarkComparison(name, aa?.Verdict is { } a ? ReportInterval.Of(a) : null, aa is null ? [] : PairRatios(aa),
                won?.Verdict is { } w ? ReportInterval.Of(w) : null, won is null ? [] : PairRatios(won), label, resolvable);
        }).ToList();
    }

    /// <summary>Each pair's speedup, baseline over candidate, in the objective's units (instructions when counted, else wall time).</summary>
    internal static IReadOnlyList<double> PairRatios(BenchmarkMeasurement m)
    {
        var (reference, candidate) = m.BaselineInstructions.Count > 0
            ? (m.BaselineInstructions.Select(i => (double)i).ToList(), m.CandidateInstructions.Select(i => (double)i).ToList())
            : (m.BaselineSeconds.ToList(), m.CandidateSeconds.ToList());
        return reference.Zip(candidate, (b, c) => b > 0 && c > 0 ? b / c : double.NaN).Where(double.IsFinite).ToList();
    }

    private static FlagWorth Worth(TrialRecord t)
    {
        var kind = t.Outcome();
        // Checked for a no-op by building only: its binaries differed, so it stayed without being timed.
        bool differs = kind == TrialOutcome.Measured && t.Verdict is null;
        bool kept = differs || t.ShowsRemovedFlagNeeded();
        string outcome = differs ? "kept: without it the binaries differ (not timed)"
            : kept
            ? kind == TrialOutcome.Measured ? "kept: the set without it was slower" : "kept: without it, " + t.Describe()
            : kind == TrialOutcome.Reused ? "dropped: without it the binaries are the same" : "dropped: not shown to be needed";
        bool measured = kind == TrialOutcome.Measured && t.Verdict is { Pairs: > 0 };
        return new FlagWorth(t.Trial, t.RemovedFlag(), t.Flags, measured ? ReportInterval.Of(t.Verdict!).Inverted() : null, kept, outcome);
    }

    private static ReportHeadline Headline(ReportSource source, string outcome, IReadOnlyList<string> pinnedFlags, DateTimeOffset? start)
    {
        var lockFile = source.Lock;
        ReportInterval? speedup = lockFile?.Speedup is { } s
            ? new ReportInterval(s.Estimate, s.Low, s.High, s.Confidence, s.Pairs, SpeedupDecision.Faster)
            : source.Pinned?.Speedup is { } v ? ReportInterval.Of(v) : null;
        string? cost = lockFile?.Search is { } c
            ? new Evidence.SearchCost(c.MeasuredCandidates, c.Races, c.MedianPairs, c.Builds, c.BuildSeconds, c.SearchSeconds).Sentence
            : null;
        return new ReportHeadline
        {
            Outcome = outcome,
            BaselineFlags = lockFile?.Baseline.Flags ?? source.Session?.BaselineFlags ?? [],
            PinnedFlags = pinnedFlags,
            PinnedFiles = lockFile?.Files?.Select(f => (f.Path, f.Share)).ToList() ?? [],
            Speedup = speedup,
            Reason = lockFile?.Reason ?? source.Pinned?.Reason ?? "The session did not finish: the ledger has no pinned line (interrupted, or still running).",
            Project = source.Session?.SourceDir,
            Compiler = lockFile is { } l ? $"{l.Compiler.Id} {l.Compiler.Version} (pinned for {l.Compiler.VersionRange})"
                : source.Compiler is { } cl ? $"{cl.Id} {cl.Version}" : null,
            Machine = lockFile?.Machine is { } m ? $"{m.Cpu}, {m.LogicalCores} logical cores, {m.Os} {m.Architecture}" : null,
            Objective = lockFile?.Objective,
            SearchCost = cost,
            StartedAt = start,
            Tool = source.Session?.Tool,
        };
    }
}
