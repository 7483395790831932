namespace AutoPass.Core.Compilers;

/// <summary>
/// gcc options worth trying that <c>-Q --help=optimizers</c> does not list (link-time and symbol-binding options).
/// Profile-guided options (-fprofile-*) are deliberately absent: they read and write files, which the policy forbids.
/// </summary>
internal static class GccExtraFlags
{
    public static IReadOnlyList<FlagDefinition> All { get; } =
    [
        // -flto=auto is spelled through the enum; -flto alone is the toggle.
        new("-flto", FlagKind.Toggle, EnabledAtBaseline: false),
        new("-fuse-linker-plugin", FlagKind.Toggle, EnabledAtBaseline: null),
        new("-fdevirtualize-at-ltrans", FlagKind.Toggle, EnabledAtBaseline: false),
        new("-flto-partition", FlagKind.Enum, Values: ["1to1", "balanced", "max", "one", "none"], BaselineValue: "balanced"),
        new("-fsemantic-interposition", FlagKind.Toggle, EnabledAtBaseline: true),
        new("-fplt", FlagKind.Toggle, EnabledAtBaseline: true),
        new("-fipa-pta", FlagKind.Toggle, EnabledAtBaseline: false),
        new("-fprefetch-loop-arrays", FlagKind.Toggle),
    ];
}
