using System.Text.Json;
using System.Text.RegularExpressions;

namespace AutoPass.Core.Build;

/// <summary>
/// Reads a configure preset's cache variables from CMakePresets.json / CMakeUserPresets.json the way CMake resolves
/// them (included files, inherited presets, the common macros), so AutoPass can see what a preset sets that it must
/// keep: the project's own CMAKE_PROJECT_INCLUDE. CMake itself still configures through the preset (cmake --preset);
/// a file CMake cannot read fails there, with CMake's own message, so this reader returns null instead of guessing.
/// </summary>
internal static partial class CMakePresets
{
    /// <summary>The preset's cache variables (unset ones left out), or null when the preset or its files cannot be read.</summary>
    public static IReadOnlyDictionary<string, string>? CacheVariables(string sourceDir, string presetName)
    {
        var presets = new Dictionary<string, (JsonElement Preset, string FileDir)>(StringComparer.Ordinal);
        var documents = new List<JsonDocument>();
        try
        {
            foreach (var name in new[] { "CMakePresets.json", "CMakeUserPresets.json" })
                Load(Path.Combine(sourceDir, name), presets, documents, []);
            if (!presets.ContainsKey(presetName)) return null;
            var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
            Collect(presetName, presets, variables, []);
            var macros = Macros(sourceDir, presetName, presets[presetName].FileDir);
            return variables.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => Expand(v.Value!, macros));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
        finally
        {
            foreach (var document in documents) document.Dispose();
        }
    }

    private static void Load(string path, Dictionary<string, (JsonElement, string)> presets, List<JsonDocument> documents, HashSet<string> seen)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path) || !seen.Add(path)) return;
        var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        documents.Add(document);
        string dir = Path.GetDirectoryName(path)!;
        if (document.RootElement.TryGetProperty("include", out var includes))
            foreach (var include in includes.EnumerateArray())
                Load(Path.Combine(dir, include.GetString()!), presets, documents, seen);
        if (document.RootElement.TryGetProperty("configurePresets", out var configure))
            foreach (var preset in configure.EnumerateArray())
                presets.TryAdd(preset.GetProperty("name").GetString()!, (preset, dir));
    }

    /// <summary>A preset's own values win over what it inherits; among its parents, the first listed wins.</summary>
    private static void Collect(string name, Dictionary<string, (JsonElement Preset, string FileDir)> presets, Dictionary<string, string?> variables, HashSet<string> visiting)
    {
        if (!visiting.Add(name) || !presets.TryGetValue(name, out var entry)) return;
        var preset = entry.Preset;
        if (preset.TryGetProperty("cacheVariables", out var cache))
            foreach (var variable in cache.EnumerateObject())
            {
                if (variables.ContainsKey(variable.Name)) continue;
                variables[variable.Name] = variable.Value.ValueKind switch
                {
                    JsonValueKind.String => variable.Value.GetString(),
                    JsonValueKind.True => "TRUE",
                    JsonValueKind.False => "FALSE",
                    JsonValueKind.Object when variable.Value.TryGetProperty("value", out var value) =>
                        value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind == JsonValueKind.True ? "TRUE" : "FALSE",
                    _ => null, // null: the preset unsets what a parent set
                };
            }
        if (preset.TryGetProperty("inherits", out var inherits))
        {
            var parents = inherits.ValueKind == JsonValueKind.String ? [inherits.GetString()!] : inherits.EnumerateArray().Select(p => p.GetString()!).ToList();
            foreach (var parent in parents) Collect(parent, presets, variables, visiting);
        }
    }

    private static Dictionary<string, string> Macros(string sourceDir, string presetName, string fileDir)
    {
        string source = Path.GetFullPath(sourceDir).TrimEnd(Path.DirectorySeparatorChar);
        return new(StringComparer.Ordinal)
        {
            ["sourceDir"] = source,
            ["sourceParentDir"] = Path.GetDirectoryName(source) ?? source,
            ["sourceDirName"] = Path.GetFileName(source),
            ["presetName"] = presetName,
            ["fileDir"] = fileDir,
            ["dollar"] = "$",
            ["pathListSep"] = OperatingSystem.IsWindows() ? ";" : ":",
            ["hostSystemName"] = OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "Darwin" : "Linux",
        };
    }

    private static string Expand(string value, Dictionary<string, string> macros) =>
        MacroPattern().Replace(value, m => m.Groups["env"].Success
            ? Environment.GetEnvironmentVariable(m.Groups["name"].Value) ?? ""
            : macros.TryGetValue(m.Groups["name"].Value, out var text) ? text : m.Value);

    [GeneratedRegex(@"\$(?:(?<env>p?env)\{(?<name>[^}]+)\}|\{(?<name>[A-Za-z]+)\})")]
    private static partial Regex MacroPattern();
}
