using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Pinning.Staleness;
using AutoPass.Core.Policy;
using AutoPass.Core.Search;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;
using NuGet.Versioning;

namespace AutoPass.Bench;

/// <summary>
/// Do the claims hold? Each program is tuned (the built-in search, the suite's budget); only after every session has
/// ended is each claim rechecked independently, by the same code as `autopass recheck` (the pinned autopass.cmake and
/// the baseline built afresh, a new seed, <see cref="BenchOptions.IndependentPairs"/> interleaved pairs). Reported:
/// the share of claims whose interval contains the re-measured estimate, the share of claimed estimates inside the
/// re-measured interval, the share whose intervals overlap, the share
/// recheck passes, and the worst miss. Sessions that pinned the baseline claim nothing and are counted apart.
/// </summary>
internal static class HonestyStudy
{
    private sealed record Claim(string Program, LockFile Lock, TuningRequest Request, DateTime Ended);

    private sealed record Recheck(Claim Claim, PinnedClaimCheck? Check, double MinutesLater, string? Error);

    public static async Task<string> RunAsync(string programs, string work, BenchOptions options, IDiagnosticSink sink)
    {
        var claims = new List<Claim>();
        foreach (var program in options.Programs)
        {
            string dir = Path.Combine(work, program, "honesty");
            var (_, result) = await SuiteRunner.TuneWithResultAsync(programs, dir, program, SearchMode.Bandit, options.RaceSize, options, sink);
            claims.Add(new Claim(program, result.Lock, result.Findings.Request, DateTime.UtcNow));
            Console.Error.WriteLine($"{program}: pinned {Describe(result.Lock)}");
        }

        var rechecks = new List<Recheck>();
        foreach (var claim in claims)
        {
            // A fresh seed, and the recheck's own scratch trees: nothing is shared with the session but the pinned files.
            var request = claim.Request with { Seed = options.Seed + 7919, RecheckPairs = options.IndependentPairs };
            double later = (DateTime.UtcNow - claim.Ended).TotalMinutes;
            try
            {
                var check = await new PinnedRecheck(request, claim.Lock, Toolchain(claim.Lock), sink).RunAsync(CancellationToken.None);
                rechecks.Add(new Recheck(claim, check, later, null));
                Console.Error.WriteLine($"{claim.Program}: {check.SummaryLine()}");
            }
            catch (AutoPassException e)
            {
                rechecks.Add(new Recheck(claim, null, later, $"{e.Code}: {e.Message}"));
                Console.Error.WriteLine($"{claim.Program}: recheck failed, {e.Code}: {e.Message}");
            }
        }
        return Render(rechecks, options);
    }

    private static PinnedToolchain Toolchain(LockFile lockFile) =>
        new(lockFile.Compiler.Id, VersionRange.Parse(lockFile.Compiler.VersionRange), [.. lockFile.Baseline.Flags, .. lockFile.Flags],
            new PolicyOptions(lockFile.Policy.AllowUnsafeMath, lockFile.Policy.AllowMachineSpecific));

    private static string Describe(LockFile lockFile) =>
        lockFile.Speedup is { } s && lockFile.Flags.Count > 0
            ? Inv($"{string.Join(' ', lockFile.Flags)} {s.Estimate:0.000}x [{s.Low:0.000}, {s.High:0.000}]")
            : "the baseline (nothing claimed)";

    /// <summary>How far the re-measured estimate lies outside the claimed interval, as a ratio to its nearer end (1: inside).</summary>
    private static double Miss(LockSpeedup claimed, double estimate) =>
        estimate < claimed.Low ? estimate / claimed.Low : estimate > claimed.High ? estimate / claimed.High : 1;

    private static string Render(IReadOnlyList<Recheck> rechecks, BenchOptions options)
    {
        var md = new StringBuilder();
        md.AppendLine("| program | pinned | claimed (session's confirmation) | re-measured by recheck | minutes later | estimate inside claim | intervals overlap | recheck |");
        md.AppendLine("|---|---|---|---|---:|---|---|---|");
        var measured = new List<(string Program, LockSpeedup Claimed, AutoPass.Core.Statistics.CombinedVerdict Measured, PinnedClaimStatus Status)>();
        foreach (var r in rechecks)
        {
            var lockFile = r.Claim.Lock;
            string pinned = lockFile.Flags.Count == 0 ? "baseline" : "`" + string.Join(' ', lockFile.Flags) + "`";
            if (r.Error is { } error)
            {
                md.AppendLine(Inv($"| {r.Claim.Program} | {pinned} | {Claimed(lockFile)} | failed: {error.Replace("|", "\\|")} | {r.MinutesLater:0} | | | error |"));
                continue;
            }
            var check = r.Check!;
            if (check.Status == PinnedClaimStatus.NothingClaimed)
            {
                md.AppendLine(Inv($"| {r.Claim.Program} | {pinned} | nothing claimed | (built; not measured) | {r.MinutesLater:0} | | | nothing claimed |"));
                continue;
            }
            var (claimed, m) = (check.Claimed!, check.Measured!);
            bool inside = Miss(claimed, m.Speedup) == 1;
            bool overlap = m.Low <= claimed.High && claimed.Low <= m.High;
            measured.Add((r.Claim.Program, claimed, m, check.Status));
            md.AppendLine(Inv($"| {r.Claim.Program} | {pinned} | {claimed.Estimate:0.000}x [{claimed.Low:0.000}, {claimed.High:0.000}] | {m.Speedup:0.000}x [{m.Low:0.000}, {m.High:0.000}] | {r.MinutesLater:0} | {(inside ? "yes" : "**no**")} | {(overlap ? "yes" : "**no**")} | {(check.Status == PinnedClaimStatus.Holds ? "holds" : "AP2040")} |"));
        }
        md.AppendLine();
        int sessions = rechecks.Count, claims = measured.Count;
        md.AppendLine(Inv($"{sessions} sessions, {claims} claims (the rest pinned the baseline or failed to recheck); {options.IndependentPairs} pairs per recheck."));
        if (claims > 0)
        {
            int inside = measured.Count(c => Miss(c.Claimed, c.Measured.Speedup) == 1);
            int covered = measured.Count(c => c.Measured.Low <= c.Claimed.Estimate && c.Claimed.Estimate <= c.Measured.High);
            int overlap = measured.Count(c => c.Measured.Low <= c.Claimed.High && c.Claimed.Low <= c.Measured.High);
            int holds = measured.Count(c => c.Status == PinnedClaimStatus.Holds);
            md.AppendLine();
            md.AppendLine(Inv($"- re-measured estimate inside the claimed interval: **{inside} of {claims}** ({100.0 * inside / claims:0}%)"));
            md.AppendLine(Inv($"- claimed estimate inside the re-measured interval: {covered} of {claims} ({100.0 * covered / claims:0}%)"));
            md.AppendLine(Inv($"- claimed and re-measured intervals overlap: {overlap} of {claims} ({100.0 * overlap / claims:0}%)"));
            md.AppendLine(Inv($"- recheck passes (lower bound at least 1 + δ, intervals meet): {holds} of {claims} ({100.0 * holds / claims:0}%)"));
            var worst = measured.OrderBy(c => Math.Abs(Math.Log(Miss(c.Claimed, c.Measured.Speedup)))).Last();
            double miss = Miss(worst.Claimed, worst.Measured.Speedup);
            md.AppendLine(miss == 1
                ? "- worst miss: none; every re-measured estimate lies inside its claim"
                : Inv($"- worst miss: {worst.Program}, re-measured {worst.Measured.Speedup:0.000}x against a claim of [{worst.Claimed.Low:0.000}, {worst.Claimed.High:0.000}], {Math.Abs(miss - 1) * 100:0.0}% {(miss < 1 ? "below its low" : "above its high")} end"));
        }
        if (claims < 10)
            md.AppendLine().AppendLine(Inv($"With {claims} claims a share is a coarse figure: one miss moves it by {(claims == 0 ? 100 : 100.0 / claims):0} points."));
        return md.ToString();
    }

    private static string Claimed(LockFile lockFile) =>
        lockFile.Speedup is { } s && lockFile.Flags.Count > 0 ? Inv($"{s.Estimate:0.000}x [{s.Low:0.000}, {s.High:0.000}]") : "nothing claimed";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
