using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>
/// The request the MSBuild task writes (or a user hand-writes for standalone use). Settings arrive as
/// strings, the way MSBuild properties are, in its "settings" object, and are read through the settings table
/// (TuningSettings) so an error names the property.
/// </summary>
internal sealed class RequestFile
{
    public string? SourceDir { get; set; }
    public string? OutputDir { get; set; }
    public string? IntermediateDir { get; set; }
    public string? BuildDir { get; set; }
    public List<BenchmarkEntry> Benchmarks { get; set; } = [];

    /// <summary>The user settings, request key → text as the MSBuild property held it (see TuningSettings).</summary>
    public Dictionary<string, string?> Settings { get; set; } = [];

    /// <summary>Fields the request has but this version does not read; an error, so no setting is silently ignored.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }

    public sealed class BenchmarkEntry
    {
        public string? Target { get; set; }
        public string? Arguments { get; set; }
        public string? Timeout { get; set; }
        public string? OutputFiles { get; set; }
        public string? Verify { get; set; }
    }

    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static RequestFile Load(string path)
    {
        try
        {
            var file = JsonSerializer.Deserialize<RequestFile>(File.ReadAllText(path), Options)
                       ?? throw new JsonException("empty");
            file.RejectUnknownFields(path);
            return file;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new AutoPassException(DiagnosticCode.RequestUnreadable, $"The request '{path}' could not be read: {e.Message}",
                "Pass a JSON request written by the AutoPass MSBuild task, or see the README for its format.");
        }
    }

    private void RejectUnknownFields(string path)
    {
        if (UnknownFields is not { Count: > 0 }) return;
        string field = UnknownFields.Keys.First();
        string fix = TuningSettings.Find(field) is { } setting
            ? $"Settings go in its \"settings\" object: \"settings\": {{ \"{setting.Key}\": \"...\" }}."
            : "Its fields are sourceDir, outputDir, intermediateDir, buildDir, benchmarks and settings.";
        throw new AutoPassException(DiagnosticCode.RequestUnreadable, $"The request '{path}' has a field '{field}' that AutoPass does not read.", fix);
    }

    /// <summary>The engine's request; relative paths are taken from <paramref name="baseDir"/>.</summary>
    public TuningRequest ToTuningRequest(string baseDir)
    {
        string source = Full(baseDir, SourceDir ?? ".");
        var request = new TuningRequest
        {
            SourceDir = source,
            OutputDir = Full(baseDir, OutputDir ?? Path.Combine(source, "autopass")),
            IntermediateDir = Full(baseDir, IntermediateDir ?? Path.Combine(source, "obj", "autopass")),
            Benchmarks = Benchmarks.Select(b => new BenchmarkSpec(
                (b.Target ?? "").Trim(),
                CommandLineSplitter.SplitSetting(b.Arguments ?? "", $"The Arguments of benchmark '{b.Target}' (AutoPassBenchmark metadata)"),
                string.IsNullOrWhiteSpace(b.Timeout) ? null : Number($"Timeout of benchmark '{b.Target}'", b.Timeout, "seconds above 0"),
                (b.OutputFiles ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                string.IsNullOrWhiteSpace(b.Verify) ? null
                    : CommandLineSplitter.SplitSetting(b.Verify, $"The Verify command of benchmark '{b.Target}' (AutoPassBenchmark metadata)"))).ToList(),
        };
        return TuningSettings.Apply(request, Settings);
    }

    private static string Full(string baseDir, string path) => Path.GetFullPath(Path.Combine(baseDir, path));

    private static double Number(string property, string value, string expected) =>
        double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid(property, value, expected);

    private static AutoPassException Invalid(string property, string value, string expected) =>
        new(DiagnosticCode.InvalidSetting, $"{property} is '{value}'.", $"Set it to {expected}.");
}
