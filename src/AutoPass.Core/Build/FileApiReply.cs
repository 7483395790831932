namespace AutoPass.Core.Build;

/// <summary>The CMake file API's answers to the queries every AutoPass configure writes (<c>.cmake/api/v1/reply</c>).</summary>
internal static class FileApiReply
{
    /// <summary>The reply file of <paramref name="kind"/> ("codemodel-v2", "toolchains-v1") in a build tree (the last by name, should an older one linger), or null when it has none.</summary>
    public static string? Latest(string buildDir, string kind)
    {
        string reply = Path.Combine(buildDir, ".cmake", "api", "v1", "reply");
        return Directory.Exists(reply) ? Directory.GetFiles(reply, kind + "-*.json").OrderBy(f => f).LastOrDefault() : null;
    }
}
