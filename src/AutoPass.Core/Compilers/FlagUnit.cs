namespace AutoPass.Core.Compilers;

/// <summary>
/// One option as the compiler driver reads it: usually one argument, but <c>-mllvm</c> always takes the next
/// argument with it. Candidates stay flat lists of strings (what CMake and the ledger hold); code that must reason
/// about options (the policy, the probe, bisection) groups them with <see cref="Split"/> so a pair is never torn apart.
/// </summary>
internal sealed record FlagUnit(IReadOnlyList<string> Arguments)
{
    public const string LlvmPrefix = "-mllvm";

    /// <summary>The unit as one string, e.g. <c>-mllvm -unroll-threshold=300</c>; used as a memo key and in messages.</summary>
    public string Display => string.Join(' ', Arguments);

    /// <summary>True for a complete <c>-mllvm</c> pair.</summary>
    public bool IsLlvmOption => Arguments.Count == 2 && Arguments[0] == LlvmPrefix;

    /// <summary>Groups a flat flag list into units. A trailing <c>-mllvm</c> with nothing after it stays a unit of one (invalid).</summary>
    public static IReadOnlyList<FlagUnit> Split(IReadOnlyList<string> flags)
    {
        var units = new List<FlagUnit>(flags.Count);
        for (int i = 0; i < flags.Count; i++)
        {
            if (flags[i] == LlvmPrefix && i + 1 < flags.Count)
            {
                units.Add(new FlagUnit([flags[i], flags[i + 1]]));
                i++;
            }
            else units.Add(new FlagUnit([flags[i]]));
        }
        return units;
    }

    /// <summary>Back to the flat list.</summary>
    public static IReadOnlyList<string> Join(IEnumerable<FlagUnit> units) => units.SelectMany(u => u.Arguments).ToList();

    public override string ToString() => Display;
}
