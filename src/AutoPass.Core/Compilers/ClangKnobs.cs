namespace AutoPass.Core.Compilers;

/// <summary>
/// Clang prints no option states, so its tunable options are a curated list, each checked against the installed
/// version by a probe compile before it enters a catalog (an option a version lacks is dropped, not guessed).
/// </summary>
internal static class ClangKnobs
{
    /// <summary>Driver toggles and their state at -O2/-O3 (clang's defaults, stable across recent majors).</summary>
    public static IReadOnlyList<FlagDefinition> Toggles { get; } =
    [
        Toggle("-funroll-loops", true), Toggle("-fvectorize", true), Toggle("-fslp-vectorize", true),
        Toggle("-finline-functions", true), Toggle("-fomit-frame-pointer", true), Toggle("-fstrict-aliasing", true),
        Toggle("-fmerge-all-constants", false), Toggle("-fsemantic-interposition", false), Toggle("-fjump-tables", true),
        Toggle("-fzero-initialized-in-bss", true), Toggle("-fdelete-null-pointer-checks", true), Toggle("-fplt", true),
        Toggle("-fsplit-machine-functions", false), Toggle("-finline-hint-functions", true),
        Toggle("-faligned-allocation", false), Toggle("-fstrict-vtable-pointers", false),
        Toggle("-fwhole-program-vtables", false), Toggle("-fdata-sections", false), Toggle("-ffunction-sections", false),
        Toggle("-flto", false),
    ];

    /// <summary>
    /// <c>-mllvm</c> knobs worth tuning. Ranges are AutoPass's choice (LLVM states none); defaults are LLVM's at -O3
    /// for the majors we know, and only advisory.
    /// </summary>
    public static IReadOnlyList<FlagDefinition> LlvmOptions { get; } =
    [
        Llvm("-unroll-threshold", 0, 2000, 300),
        Llvm("-unroll-partial-threshold", 0, 2000, 150),
        Llvm("-unroll-max-count", 0, 64, null),
        Llvm("-inline-threshold", 0, 3000, 225),
        Llvm("-inlinehint-threshold", 0, 3000, 325),
        Llvm("-hot-callsite-threshold", 0, 10000, 3000),
        Llvm("-force-vector-width", 0, 64, 0),
        Llvm("-force-vector-interleave", 0, 16, 0),
        Llvm("-slp-threshold", -100, 100, 0),
        Llvm("-max-interleave-group-factor", 1, 16, 8),
        Llvm("-jump-threading-threshold", 0, 100, 6),
        Llvm("-licm-max-num-uses-traversed", 1, 64, 8),
        LlvmSwitch("-vectorize-loops", true),
        LlvmSwitch("-vectorize-slp", true),
        LlvmSwitch("-vectorizer-maximize-bandwidth", false),
        LlvmSwitch("-enable-interleaved-mem-accesses", false),
        LlvmSwitch("-enable-masked-interleaved-mem-accesses", false),
        LlvmSwitch("-enable-loopinterchange", false),
        LlvmSwitch("-enable-unroll-and-jam", false),
        LlvmSwitch("-enable-loop-flatten", false),
        LlvmSwitch("-enable-gvn-hoist", false),
        LlvmSwitch("-enable-gvn-sink", false),
        LlvmSwitch("-enable-dfa-jump-thread", false),
        LlvmSwitch("-extra-vectorizer-passes", false),
        LlvmSwitch("-unroll-runtime", true),
        LlvmSwitch("-enable-nontrivial-unswitch", false),
    ];

    private static FlagDefinition Toggle(string name, bool on) => new(name, FlagKind.Toggle, EnabledAtBaseline: on);

    private static FlagDefinition Llvm(string name, long min, long max, long? @default) =>
        new(name, FlagKind.Parameter, Min: min, Max: max, Default: @default, Syntax: FlagSyntax.LlvmOption);

    // LLVM boolean options take "=true"/"=false"; modelled as a two-valued enum so the spelling stays "-name=value".
    private static FlagDefinition LlvmSwitch(string name, bool on) =>
        new(name, FlagKind.Enum, Values: ["true", "false"], Syntax: FlagSyntax.LlvmOption, BaselineValue: on ? "true" : "false");

    /// <summary>The arguments that exercise a knob in a probe: its default, or the low end of its range.</summary>
    internal static IReadOnlyList<string> ProbeSpelling(FlagDefinition knob) => knob.Kind switch
    {
        FlagKind.Parameter => knob.Spell(knob.Default ?? knob.Min ?? 0),
        FlagKind.Enum => knob.Spell(knob.BaselineValue ?? knob.Values![0]),
        _ => [knob.Flip() ?? knob.Toggle(true)],
    };
}
