namespace AutoPass.Core.Build;

/// <summary>
/// Which source files the pinned files can name. <see cref="CMakeFlagsScript"/> writes each hot file's path in a
/// quoted CMake argument, where a quote, a dollar sign (a variable reference), a semicolon (a list separator) or a
/// line break would change what the script does; such a file keeps the baseline flags instead of failing the session.
/// </summary>
internal static class PinnablePaths
{
    /// <param name="relativePath">The path as the lock file has it: relative to the source directory.</param>
    public static bool CanPin(string relativePath) =>
        !relativePath.Any(c => c is '"' or '$' or ';' or '\n' or '\r' || (c == '\\' && !OperatingSystem.IsWindows()));

    /// <summary>The files whose paths the pinned files can carry, and those left out (to name in a message).</summary>
    public static (IReadOnlyList<T> Pinnable, IReadOnlyList<T> LeftOut) Partition<T>(IEnumerable<T> files, Func<T, string> relativePath)
    {
        var lookup = files.ToLookup(f => CanPin(relativePath(f)));
        return (lookup[true].ToList(), lookup[false].ToList());
    }
}
