using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Search;

/// <summary>What a strategy or agent may read when proposing: the compiler's flags, the gate, and every trial so far.</summary>
internal sealed record SearchState(
    FlagCatalog Catalog,
    FlagPolicy Policy,
    IReadOnlyList<string> BaselineFlags,
    IReadOnlyList<TrialRecord> Trials,
    int TrialsLeft,
    int Seed,
    IReadOnlySet<string>? Pending = null)
{
    /// <summary>
    /// Tried before, or already in the batch being proposed (<see cref="Pending"/>, by <see cref="Candidate.Key"/>);
    /// or known to build what was tried: it is a tried set plus edits that alone left the baseline's binaries unchanged
    /// (<see cref="NoOpUnits"/>), or only such edits. Each such proposal would cost a build for a binary already known.
    /// </summary>
    public bool WasTried(IReadOnlyList<string> flags)
    {
        if (Tried(string.Join(' ', flags))) return true;
        var units = FlagUnit.Split(flags);
        var effective = units.Where(u => !NoOpUnits.Contains(u.Display)).ToList();
        if (effective.Count == units.Count) return false;
        return effective.Count == 0 || Tried(string.Join(' ', FlagUnit.Join(effective)));
    }

    private bool Tried(string key) => Pending?.Contains(key) == true || Trials.Any(t => string.Join(' ', t.Flags) == key);

    /// <summary>Edits whose trial alone built binaries identical to the baseline's: they do nothing to this program.</summary>
    public IReadOnlySet<string> NoOpUnits => _noOpUnits ??= Trials
        .Where(t => t.Phase == TrialPhase.Screen && t.ReusedFrom == 0 && FlagUnit.Split(t.Flags).Count == 1)
        .Select(t => string.Join(' ', t.Flags)).ToHashSet(StringComparer.Ordinal);

    private IReadOnlySet<string>? _noOpUnits;

    /// <summary>Edits whose trial alone built binaries other than the baseline's, with its output: they change this program.</summary>
    public IReadOnlySet<string> EffectiveUnits => _effectiveUnits ??= Trials
        .Where(t => t.Phase == TrialPhase.Screen && t.BinaryHash is not null && t.ReusedFrom != 0 && t.OutputCheck == Check.OutputCheckStatus.Equal
            && FlagUnit.Split(t.Flags).Count == 1)
        .Select(t => string.Join(' ', t.Flags)).ToHashSet(StringComparer.Ordinal);

    private IReadOnlySet<string>? _effectiveUnits;

    /// <summary>
    /// gcc parameters (--param names) a trial set on top of a set already built and got that set's binaries again: they
    /// steer nothing this program's code does, at any value, most likely.
    /// </summary>
    public IReadOnlySet<string> InertParameters => _inertParameters ??= FindInertParameters();

    private IReadOnlySet<string>? _inertParameters;

    private HashSet<string> FindInertParameters()
    {
        // The calibration's empty set stands for the baseline's binaries.
        var binariesOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in Trials.Where(t => t.Phase is TrialPhase.Screen or TrialPhase.Calibration && t.BinaryHash is not null))
            binariesOf.TryAdd(string.Join(' ', t.Flags), t.BinaryHash!);
        var inert = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in Trials.Where(t => t.Phase == TrialPhase.Screen && t.BinaryHash is not null))
            foreach (var flag in t.Flags)
                if (ParameterName(flag) is { } name && binariesOf.GetValueOrDefault(string.Join(' ', t.Flags.Where(f => f != flag))) == t.BinaryHash)
                    inert.Add(name);
        return inert;
    }

    /// <summary>The name of a gcc parameter flag (--param=NAME=VALUE), or null.</summary>
    internal static string? ParameterName(string flag) =>
        flag.StartsWith("--param=", StringComparison.Ordinal) && flag.IndexOf('=', 8) is var eq and > 8 ? flag[8..eq] : null;

    /// <summary>
    /// Up to <paramref name="count"/> distinct measured programs to build on: confident winners first, then the best
    /// estimates above the minimum effect (an estimate is often noise, so they follow every winner).
    /// </summary>
    public IReadOnlyList<TrialRecord> Elites(int count, double minEffect) => Winners
        .Concat(Measured.Where(t => t.ReusedFrom is null && t.Verdict!.Decision != SpeedupDecision.Faster && t.Verdict.Speedup > 1 + minEffect))
        .DistinctBy(t => t.BinaryHash ?? string.Join(' ', t.Flags)).Take(count).ToList();

    /// <summary>
    /// Whole-project candidates have had their share: screened sets with link-time flags (a whole-project build and
    /// relink in a hot-file session) took over <see cref="WholeProjectShare"/> of the screening's build seconds, and their
    /// builds cost over twice the others' (median), so they are not the usual cost of a candidate here (project scope).
    /// </summary>
    public bool WholeProjectBuildsHadTheirShare => _wholeProjectSpent ??= FindWholeProjectSpent();

    /// <summary>The share of the screening's build seconds link-time candidates may take when they cost more than the rest.</summary>
    public const double WholeProjectShare = 0.15;

    private bool? _wholeProjectSpent;

    private bool FindWholeProjectSpent()
    {
        var seconds = Trials.Where(t => t.Phase == TrialPhase.Screen && t.BuildSeconds is > 0)
            .ToLookup(t => Build.LinkTimeFlags.AnyIn(t.Flags), t => t.BuildSeconds!.Value);
        var whole = seconds[true].ToList();
        var rest = seconds[false].ToList();
        if (whole.Count == 0 || rest.Count == 0) return false;
        return RobustSpread.Median(whole) > 2 * RobustSpread.Median(rest) && whole.Sum() > WholeProjectShare * (whole.Sum() + rest.Sum());
    }

    /// <summary>Screening trials that were measured, best speedup first.</summary>
    public IEnumerable<TrialRecord> Measured =>
        Trials.Where(t => t.Verdict is not null && t.Phase == TrialPhase.Screen).OrderByDescending(t => t.Verdict!.Speedup);

    /// <summary>Trials confidently faster than the baseline, each distinct program once (not the reuses of an identical binary).</summary>
    public IEnumerable<TrialRecord> Winners => Measured.Where(t => t.Verdict!.Decision == SpeedupDecision.Faster && t.ReusedFrom is null);
}
