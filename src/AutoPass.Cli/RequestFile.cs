using System.Globalization;
using System.Text.Json;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>
/// The request the MSBuild task writes (or a user hand-writes for standalone use). Settings arrive as
/// strings, the way MSBuild properties are, and are checked here so an error names the property.
/// </summary>
public sealed class RequestFile
{
    public string? SourceDir { get; set; }
    public string? OutputDir { get; set; }
    public string? IntermediateDir { get; set; }
    public string? BuildDir { get; set; }
    public List<BenchmarkEntry> Benchmarks { get; set; } = [];
    public string? BaselineFlags { get; set; }
    public string? MaxTrials { get; set; }
    public string? MaxMinutes { get; set; }
    public string? Seed { get; set; }
    public string? CCompiler { get; set; }
    public string? CxxCompiler { get; set; }
    public string? Generator { get; set; }
    public string? MinEffect { get; set; }
    public string? Confidence { get; set; }
    public string? AllowUnsafeMath { get; set; }
    public string? AllowMachineSpecific { get; set; }
    public string? Agents { get; set; }
    public string? OllamaEndpoint { get; set; }
    public string? Model { get; set; }
    public string? Search { get; set; }
    public string? Objective { get; set; }
    public string? NoNoiseWarnings { get; set; }

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
            return JsonSerializer.Deserialize<RequestFile>(File.ReadAllText(path), Options)
                   ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new AutoPassException(DiagnosticCode.RequestUnreadable, $"The request '{path}' could not be read: {e.Message}",
                "Pass a JSON request written by the AutoPass MSBuild task, or see the README for its format.");
        }
    }

    /// <summary>The engine's request; relative paths are taken from <paramref name="baseDir"/>.</summary>
    public TuningRequest ToTuningRequest(string baseDir)
    {
        string source = Full(baseDir, SourceDir ?? ".");
        return new TuningRequest
        {
            SourceDir = source,
            OutputDir = Full(baseDir, OutputDir ?? Path.Combine(source, "autopass")),
            IntermediateDir = Full(baseDir, IntermediateDir ?? Path.Combine(source, "obj", "autopass")),
            Benchmarks = Benchmarks.Select(b => new BenchmarkSpec(
                (b.Target ?? "").Trim(),
                CommandLineSplitter.Split(b.Arguments ?? ""),
                string.IsNullOrWhiteSpace(b.Timeout) ? null : Number($"Timeout of benchmark '{b.Target}'", b.Timeout, "seconds above 0"),
                (b.OutputFiles ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                string.IsNullOrWhiteSpace(b.Verify) ? null : CommandLineSplitter.Split(b.Verify))).ToList(),
            BaselineFlags = string.IsNullOrWhiteSpace(BaselineFlags) ? ["-O3"] : CommandLineSplitter.Split(BaselineFlags),
            MaxTrials = Integer("AutoPassMaxTrials", MaxTrials, 40),
            MaxMinutes = string.IsNullOrWhiteSpace(MaxMinutes) ? 30 : Number("AutoPassMaxMinutes", MaxMinutes, "a number of minutes above 0"),
            Seed = Integer("AutoPassSeed", Seed, 1),
            CCompiler = Blank(CCompiler),
            CxxCompiler = Blank(CxxCompiler),
            Generator = Blank(Generator),
            MinEffect = string.IsNullOrWhiteSpace(MinEffect) ? 0.01 : Number("AutoPassMinEffect", MinEffect, "a fraction such as 0.01"),
            Confidence = string.IsNullOrWhiteSpace(Confidence) ? 0.95 : Number("AutoPassConfidence", Confidence, "a fraction such as 0.95"),
            AllowUnsafeMath = Bool("AutoPassAllowUnsafeMath", AllowUnsafeMath),
            AllowMachineSpecific = Bool("AutoPassAllowMachineSpecific", AllowMachineSpecific),
            Agents = string.IsNullOrWhiteSpace(Agents) ? AgentMode.Auto : Enum.TryParse<AgentMode>(Agents, ignoreCase: true, out var mode) ? mode
                : throw Invalid("AutoPassAgents", Agents, "auto, ollama or builtin"),
            OllamaEndpoint = Blank(OllamaEndpoint),
            Model = Blank(Model),
            Search = string.IsNullOrWhiteSpace(Search) ? SearchMode.Bandit : Enum.TryParse<SearchMode>(Search, ignoreCase: true, out var search) ? search
                : throw Invalid("AutoPassSearch", Search, "bandit or random"),
            NoNoiseWarnings = Bool("AutoPassNoNoiseWarnings", NoNoiseWarnings),
            Objective = string.IsNullOrWhiteSpace(Objective) ? MeasurementObjective.Time : Enum.TryParse<MeasurementObjective>(Objective, ignoreCase: true, out var objective) ? objective
                : throw Invalid("AutoPassObjective", Objective, "time or instructions"),
        };
    }

    private static string Full(string baseDir, string path) => Path.GetFullPath(Path.Combine(baseDir, path));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static int Integer(string property, string? value, int fallback) =>
        string.IsNullOrWhiteSpace(value) ? fallback :
        int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid(property, value, "a whole number");

    private static double Number(string property, string value, string expected) =>
        double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid(property, value, expected);

    private static bool Bool(string property, string? value) =>
        string.IsNullOrWhiteSpace(value) ? false : bool.TryParse(value.Trim(), out var b) ? b : throw Invalid(property, value, "true or false");

    private static AutoPassException Invalid(string property, string value, string expected) =>
        new(DiagnosticCode.InvalidSetting, $"{property} is '{value}'.", $"Set it to {expected}.");
}
