namespace AutoPass.Core.Policy;

/// <summary>
/// The <c>-f&lt;name&gt;=&lt;value&gt;</c> options gcc and clang list as optimizers, for judging a flag without the
/// compiler's own list (a baseline checked before the compiler is probed, a lock file's flags). Any other option
/// with a value is refused there: a value is where a path, a spec or another command line hides.
/// </summary>
internal static class ValuedOptimizers
{
    /// <summary>Option names without <c>-f</c>, in their positive form.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        // gcc --help=optimizers
        "align-functions", "align-jumps", "align-labels", "align-loops", "excess-precision", "fp-contract",
        "ira-algorithm", "ira-region", "lifetime-dse", "live-patching", "reorder-blocks-algorithm",
        "sched-stalled-insns", "sched-stalled-insns-dep", "simd-cost-model", "stack-reuse", "vect-cost-model",
        "inline-limit", "min-function-alignment", "inline-stringops", "malloc-dce",
        // Link-time optimization's partitioning (AutoPass's gcc catalog adds it).
        "lto-partition",
        // clang's floating-point model.
        "fp-model", "fp-eval-method", "denormal-fp-math", "denormal-fp-math-f32", "complex-arithmetic", "fp-exception-behavior",
    };
}
