using System.Globalization;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;

namespace AutoPass.Core.Reporting;

/// <summary>The few lines a session ends with: baseline, winner, speedup with its interval, trials used, where things are.</summary>
internal static class SessionSummary
{
    public static IEnumerable<string> Lines(SessionResult result)
    {
        var (request, lockFile) = (result.Findings.Request, result.Lock);
        yield return $"baseline flags: {string.Join(' ', lockFile.Baseline.Flags)}";
        if (lockFile.Outcome == "improved")
        {
            var s = lockFile.Speedup!;
            yield return $"winning flags:  {string.Join(' ', lockFile.Flags)}";
            if (lockFile.Files is { Count: > 0 } files)
                yield return $"on files:       {string.Join(", ", files.Select(f => f.Path))} (the hot files; the rest keep the baseline flags)";
            string proxy = lockFile.Objective == "time" ? "" : $" in {lockFile.Objective}";
            yield return string.Create(CultureInfo.InvariantCulture,
                $"speedup:        {s.Estimate:0.000}x{proxy} ({s.Confidence * 100:0.##}% interval {s.Low:0.000}-{s.High:0.000}, confirmed in a fresh run of {s.Pairs} pairs per benchmark)");
            if (s.Regimes is { Count: > 1 } regimes)
            {
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"regimes:        {DiagnosticCode.EffectMoved}: the effect moved during the confirmation; the speedup above is the conservative regime's ({s.RegimeNote})");
                foreach (var r in regimes)
                    yield return string.Create(CultureInfo.InvariantCulture,
                        $"  pairs {r.FirstPair}-{r.LastPair}: {r.Estimate:0.000}x [{r.Low:0.000}, {r.High:0.000}], baseline {r.BaselineMedianSeconds:0.###} s{(r.Claimed ? " (claimed)" : "")}");
            }
            foreach (var a in lockFile.Attribution ?? [])
                yield return string.Create(CultureInfo.InvariantCulture, $"  without {a.Flag}: {1 / a.Speedup:0.000}x of the pinned speed (it is worth {a.Speedup:0.000}x [{a.Low:0.000}, {a.High:0.000}])");
            foreach (var b in lockFile.Benchmarks.Where(b => b.Speedup is not null))
                yield return string.Create(CultureInfo.InvariantCulture, $"  {b.Name}: {b.Speedup!.Estimate:0.000}x [{b.Speedup.Low:0.000}, {b.Speedup.High:0.000}]");
        }
        else
        {
            yield return "winning flags:  none; the baseline is pinned";
            yield return "speedup:        1.000x (" + lockFile.Reason + ")";
        }
        string reuse = result.ReusedMeasurements > 0 ? $", {result.ReusedMeasurements} reused identical binaries" : "";
        yield return $"trials used:    {lockFile.Trials} of {request.MaxTrials}{reuse}";
        var cost = result.Findings.Cost;
        yield return string.Create(CultureInfo.InvariantCulture,
            $"search cost:    {cost.Sentence}");
        yield return $"pinned:         {request.OutputDir} (ledger: {result.LedgerPath})";
    }

    /// <summary>Each noise finding of the calibration (per benchmark, per arm): the detail behind the session's one noise warning.</summary>
    public static IEnumerable<string> NoiseLines(SessionResult result) =>
        (result.Findings.NoiseFindings ?? []).Select(finding => $"machine noise:  {finding.Code}: {finding.Message}");
}

/// <summary>obj/autopass/summary.txt: the summary stays on disk, since dotnet's terminal logger hides build messages.</summary>
internal sealed class SummaryExporter : ISessionExporter
{
    public void Export(SessionResult result) =>
        File.WriteAllLines(result.Findings.Paths.Summary, SessionSummary.Lines(result).Concat(SessionSummary.NoiseLines(result)));
}
