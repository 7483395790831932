using System.Text;

namespace AutoPass.Core.Build;

/// <summary>
/// The CMake script that applies a flag set: loaded through CMAKE_PROJECT_INCLUDE, so it runs right after
/// the project's own project() call and needs no change to the project. Candidate builds use the same
/// script as the pinned file, so what was measured is what gets pinned.
/// </summary>
internal static class CMakeFlagsScript
{
    public static string Render(IReadOnlyList<string> flags, string headerComment)
    {
        var text = new StringBuilder();
        foreach (var line in headerComment.Split('\n'))
            text.Append("# ").AppendLine(line.TrimEnd());
        text.AppendLine("#");
        text.AppendLine("# Load it with -DCMAKE_PROJECT_INCLUDE=<path to this file> or a CMakePresets.json cacheVariables entry.");
        text.AppendLine("# The flags apply to C and C++ in Release builds; they come after CMAKE_<LANG>_FLAGS_RELEASE, so they win.");
        text.AppendLine("# Set AUTOPASS_DISABLE=ON to build without them.");
        text.AppendLine("if(AUTOPASS_DISABLE)");
        text.AppendLine("  return()");
        text.AppendLine("endif()");
        text.Append("set(AUTOPASS_FLAGS");
        foreach (var flag in flags) text.Append(' ').Append(Quote(flag));
        text.AppendLine(")");
        text.AppendLine("add_compile_options(\"$<$<AND:$<CONFIG:Release>,$<COMPILE_LANGUAGE:C,CXX>>:${AUTOPASS_FLAGS}>\")");
        // Link-time optimization reads the optimization flags again at link time.
        text.AppendLine("add_link_options(\"$<$<CONFIG:Release>:${AUTOPASS_FLAGS}>\")");
        return text.ToString();
    }

    /// <summary>CMake bracket-free quoting: flags passed the policy gate, so only plain characters remain.</summary>
    private static string Quote(string flag)
    {
        if (flag.IndexOfAny(['"', '\\', '$', ';', '\n']) >= 0)
            throw new ArgumentException($"Flag '{flag}' cannot be written to a CMake script.");
        return "\"" + flag + "\"";
    }
}
