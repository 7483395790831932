using AutoPass.Core.Compilers;

namespace AutoPass.Core.Policy;

/// <summary>
/// The values the policy admits for a numeric parameter. Where the compiler states a range, that range; where it states
/// none (many gcc <c>--param</c>s) or only INT_MAX, a cap relative to the default: a value thousands of times the default
/// is no tuning step, and can make the compiler run for hours or exhaust memory.
/// </summary>
internal static class ParameterBounds
{
    /// <summary>Unbounded parameters take at most this many times their default value.</summary>
    public const long DefaultMultiple = 16;

    /// <summary>...and at least up to this value, so parameters whose default is 0 or small can still move.</summary>
    public const long SmallestCap = 1024;

    /// <summary>A stated maximum from here up is INT_MAX-like: the compiler's "no real bound", not a range.</summary>
    private const long UnboundedFrom = int.MaxValue / 2;

    public static (long Min, long Max, bool Capped) Of(FlagDefinition definition)
    {
        long min = definition.Min ?? 0;
        if (definition.Max is { } max && max < UnboundedFrom) return (min, max, false);
        long reference = Math.Abs(definition.Default ?? 0);
        long cap = Math.Max(SmallestCap, reference > long.MaxValue / DefaultMultiple ? long.MaxValue : reference * DefaultMultiple);
        return (min, Math.Max(min, cap), true);
    }
}
