using System.Collections.Concurrent;

namespace AutoPass.Core.Compilers;

/// <summary>
/// The session's memory of what one compiler would not take: flags its probe rejected, and flags a build reported
/// as crashing it. A flag found here is never tried again; flags found good are not probed again either.
/// Thread-safe; keyed by flag unit (an <c>-mllvm</c> pair is one key, "-mllvm -name=value").
/// </summary>
internal sealed class CompilerRejections(CompilerInfo compiler)
{
    private readonly ConcurrentDictionary<string, string> _rejected = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _accepted = new(StringComparer.Ordinal);
    // Flag sets of several units that crashed the compiler together, keyed by their joined display.
    private readonly ConcurrentDictionary<string, (string[] Units, string Reason)> _crashingSets = new(StringComparer.Ordinal);

    public CompilerInfo Compiler { get; } = compiler;

    /// <summary>Every rejected flag with the compiler's reason.</summary>
    public IReadOnlyDictionary<string, string> Rejected => new Dictionary<string, string>(_rejected, StringComparer.Ordinal);

    public bool IsRejected(string flag) => _rejected.ContainsKey(flag);

    /// <summary>True when any unit of the candidate is already known to be rejected.</summary>
    public bool AnyRejected(IReadOnlyList<string> flags) => FlagUnit.Split(flags).Any(u => _rejected.ContainsKey(u.Display));

    /// <summary>Records a flag that broke a build (an internal compiler error, a crash); it is not tried again.</summary>
    public void Record(string flag, string reason)
    {
        _accepted.TryRemove(flag, out _);
        _rejected[flag] = reason;
    }

    /// <summary>
    /// Learns from a failed build of the project with <paramref name="flags"/> (the candidate's, beyond the baseline):
    /// when the log shows the compiler crashed (an internal compiler error, or killed by a signal), one flag is recorded as
    /// rejected, and several as a set that rejects any later candidate containing all of them. The probe compile cannot
    /// catch these: a crash depends on the code, and the probe's is tiny. False when the log shows no crash.
    /// </summary>
    public bool RecordIfCrashed(IReadOnlyList<string> flags, string buildLog)
    {
        if (CrashLine(buildLog) is not { } crash) return false;
        var units = FlagUnit.Split(flags);
        string reason = "the compiler crashed building the project: " + crash;
        if (units.Count == 1) Record(units[0].Display, reason);
        else if (units.Count > 1)
        {
            var displays = units.Select(u => u.Display).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            _crashingSets[string.Join('\n', displays)] = (displays, "together with " + string.Join(' ', displays) + ", " + reason);
        }
        return units.Count > 0;
    }

    /// <summary>The line of a build log that says the compiler crashed, or null (gcc and clang spellings).</summary>
    public static string? CrashLine(string buildLog) =>
        buildLog.Split('\n').Select(l => l.Trim()).FirstOrDefault(l =>
            l.Contains("internal compiler error", StringComparison.Ordinal)           // gcc ICE, also "signal terminated program cc1"
            || l.Contains("signal terminated program", StringComparison.Ordinal)      // gcc: a compiler pass killed by a signal
            || l.Contains("failed due to signal", StringComparison.Ordinal)           // clang: "clang frontend command failed due to signal"
            || l.Contains("PLEASE submit a bug report", StringComparison.Ordinal));  // clang's crash banner

    /// <summary>
    /// The candidate's rejected units: remembered ones without a compile, the rest by one probe compile
    /// (bisected on failure). Individually rejected units are remembered; those rejected only in combination are not.
    /// </summary>
    public async Task<IReadOnlyList<FlagRejection>> CheckAsync(IReadOnlyList<string> flags, CancellationToken ct = default)
    {
        var units = FlagUnit.Split(flags);
        var known = units.Where(u => _rejected.ContainsKey(u.Display)).Select(u => new FlagRejection(u.Display, _rejected[u.Display])).ToList();
        var present = units.Select(u => u.Display).ToHashSet(StringComparer.Ordinal);
        foreach (var (crashing, reason) in _crashingSets.Values)
            if (crashing.All(present.Contains))
                known.AddRange(crashing.Where(d => !known.Any(k => k.Flag == d)).Select(d => new FlagRejection(d, reason)));
        var unknown = units.Where(u => !_rejected.ContainsKey(u.Display) && !_accepted.ContainsKey(u.Display)).ToList();
        if (unknown.Count == 0) return known;

        var found = await CompilerProbe.ProbeAsync(Compiler, FlagUnit.Join(unknown), ct);
        foreach (var r in found.Where(r => !r.Reason.StartsWith("rejected only in combination", StringComparison.Ordinal)))
            _rejected[r.Flag] = r.Reason;
        var bad = found.Select(r => r.Flag).ToHashSet(StringComparer.Ordinal);
        foreach (var u in unknown.Where(u => !bad.Contains(u.Display)))
            _accepted[u.Display] = true;
        return [.. known, .. found];
    }
}
