using System.Globalization;

namespace AutoPass.Core.Agents.Builtin;

/// <summary>
/// Rules over the evidence: remarks about missed vectorization, inlining or aliasing raise those themes;
/// a profile concentrated in one function favours loop-level flags, a flat one favours inlining.
/// Every theme the catalog has becomes a hypothesis, so there is always something to try.
/// </summary>
internal sealed class BuiltinAnalyst : IAnalyst
{
    private static readonly (string Theme, string Statement, int Priority)[] Themes =
    [
        (TunableFlags.Unrolling, "Hot loops may benefit from more unrolling.", 2),
        (TunableFlags.Vectorization, "The vectorizer's cost model may be too conservative for the hot loops.", 2),
        (TunableFlags.Inlining, "Calls in hot paths may not be inlined; larger inlining limits may help.", 3),
        (TunableFlags.Interprocedural, "Interprocedural analysis (points-to, cloning) may unlock optimizations.", 3),
        (TunableFlags.Loops, "Loop transforms (interchange, distribution, prefetching) may suit the memory access pattern.", 4),
        (TunableFlags.Scheduling, "Instruction scheduling changes may help register pressure or latency.", 5),
        (TunableFlags.CodeGeneration, "Code generation details (frame pointer, PLT) may matter in call-heavy code.", 5),
    ];

    public Task<StageReply<AnalystReport>> AnalyzeAsync(AnalystInput input, CancellationToken cancellationToken)
    {
        var edits = TunableFlags.For(input.Catalog);
        var priorities = Themes.ToDictionary(t => t.Theme, t => t.Priority);
        var reasons = new Dictionary<string, string>();
        string digest = input.Evidence.RemarkDigest.ToLowerInvariant();

        void Raise(string theme, int priority, string reason)
        {
            if (priority < priorities[theme]) { priorities[theme] = priority; reasons[theme] = reason; }
        }

        if (digest.Contains("not vectorized") || digest.Contains("couldn't vectorize") || digest.Contains("missed") && digest.Contains("vector"))
            Raise(TunableFlags.Vectorization, 1, "the compiler reports loops it did not vectorize");
        if (digest.Contains("not inlined") || digest.Contains("inlining failed") || digest.Contains("not inlinable") || digest.Contains("call is unlikely"))
            Raise(TunableFlags.Inlining, 1, "the compiler reports calls it did not inline");
        if (digest.Contains("alias"))
            Raise(TunableFlags.Interprocedural, 1, "the compiler reports possible aliasing");
        if (digest.Contains("unroll"))
            Raise(TunableFlags.Unrolling, 1, "the compiler reports unrolling decisions");

        var hot = input.Evidence.HotFunctions.OrderByDescending(f => f.Share).ToList();
        if (hot.Count > 0 && hot[0].Share >= 0.5)
        {
            string reason = string.Create(CultureInfo.InvariantCulture, $"{hot[0].Name} takes {hot[0].Share * 100:0}% of the time");
            Raise(TunableFlags.Unrolling, 1, reason);
            Raise(TunableFlags.Vectorization, 1, reason);
        }
        else if (hot.Count >= 5 && hot[0].Share < 0.2)
        {
            Raise(TunableFlags.Inlining, 2, "the time is spread over many functions");
            Raise(TunableFlags.Interprocedural, 2, "the time is spread over many functions");
        }

        var hypotheses = Themes
            .Select(t => (t.Theme, t.Statement, Flags: edits.Where(e => e.Theme == t.Theme).Select(e => e.Flag).ToList()))
            .Where(t => t.Flags.Count > 0)
            .Select(t => new Hypothesis(
                reasons.TryGetValue(t.Theme, out var why) ? $"{t.Statement} ({why})" : t.Statement,
                t.Flags, priorities[t.Theme]))
            .OrderBy(h => h.Priority)
            .ToList();
        return Task.FromResult(StageReply<AnalystReport>.Of(new AnalystReport(hypotheses)));
    }
}
