namespace AutoPass.Core.Build;

/// <summary>
/// Link-time optimization in a hot-file flag set: it optimizes the whole link, so it goes to the whole project, and
/// the rest of the set to the hot files.
/// </summary>
internal static class LinkTimeFlags
{
    /// <summary>-flto, -flto=auto, -flto=N: what CMake's INTERPROCEDURAL_OPTIMIZATION stands for (not -flto-partition=...).</summary>
    public static bool Is(string flag) => flag == "-flto" || flag.StartsWith("-flto=", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="flags"/> hold link-time optimization: in a hot-file session, a whole-project build and relink.</summary>
    public static bool AnyIn(IEnumerable<string> flags) => flags.Any(Is);

    /// <summary>A flag set split into what the whole project gets (link-time optimization) and what the hot files get.</summary>
    public static (IReadOnlyList<string> Project, IReadOnlyList<string> Files) Split(IReadOnlyList<string> flags) =>
        (flags.Where(Is).ToList(), flags.Where(f => !Is(f)).ToList());
}
