using System.Text.Json;

namespace AutoPass.Core.Build;

/// <summary>
/// The source files each target compiles, from the CMake file API's code model that every AutoPass configure queries
/// (<c>.cmake/api/v1/reply</c>): sources with a compile group, as absolute paths.
/// </summary>
internal static class CodeModelSources
{
    /// <summary>Each target's compiled sources (of the code model's first configuration); empty when the tree has no code model.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read(string buildDir)
    {
        var sources = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (FileApiReply.Latest(buildDir, "codemodel-v2") is not { } codemodel) return sources;
        string reply = Path.GetDirectoryName(codemodel)!;
        using var model = JsonDocument.Parse(File.ReadAllText(codemodel));
        string sourceRoot = model.RootElement.GetProperty("paths").GetProperty("source").GetString()!;
        var configuration = model.RootElement.GetProperty("configurations").EnumerateArray().FirstOrDefault();
        if (configuration.ValueKind != JsonValueKind.Object) return sources;
        foreach (var target in configuration.GetProperty("targets").EnumerateArray())
        {
            using var detail = JsonDocument.Parse(File.ReadAllText(Path.Combine(reply, target.GetProperty("jsonFile").GetString()!)));
            var compiled = new List<string>();
            if (detail.RootElement.TryGetProperty("sources", out var list))
                foreach (var source in list.EnumerateArray())
                    if (source.TryGetProperty("compileGroupIndex", out _))
                    {
                        string path = source.GetProperty("path").GetString()!;
                        compiled.Add(Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(sourceRoot, path)));
                    }
            sources[target.GetProperty("name").GetString()!] = compiled;
        }
        return sources;
    }
}
