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
    /// The candidate's rejected units: remembered ones without a compile, the rest by one probe compile
    /// (bisected on failure). Individually rejected units are remembered; those rejected only in combination are not.
    /// </summary>
    public async Task<IReadOnlyList<FlagRejection>> CheckAsync(IReadOnlyList<string> flags, CancellationToken ct = default)
    {
        var units = FlagUnit.Split(flags);
        var known = units.Where(u => _rejected.ContainsKey(u.Display)).Select(u => new FlagRejection(u.Display, _rejected[u.Display])).ToList();
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
