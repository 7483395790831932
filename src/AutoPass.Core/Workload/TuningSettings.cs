using System.Globalization;
using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Workload;

/// <summary>
/// The user settings of a session, each once: MSBuild property, request key, form, default, range and help.
/// The MSBuild targets forward each one, the request file is read through it, <see cref="TuningRequest"/>
/// takes its defaults from it and <c>autopass --help</c> lists it; a new setting is a line here, a field of
/// <see cref="TuningRequest"/>, a line in the targets and a row in the README (tests check the last two).
/// </summary>
internal static class TuningSettings
{
    public static readonly SettingDefinition<IReadOnlyList<string>> BaselineFlags = new(
        "AutoPassBaselineFlags", "baselineFlags", SettingKind.FlagList, ["-O3"], "compiler flags as on a command line",
        "what candidates start from and are measured against",
        ParseFlags, flags => string.Join(" ", flags), r => r.BaselineFlags, (r, v) => r with { BaselineFlags = v });

    public static readonly SettingDefinition<int> MaxTrials = WholeNumber(
        "AutoPassMaxTrials", "maxTrials", 200, atLeast: 1, "measured candidates per session (a reused identical build does not count)",
        r => r.MaxTrials, (r, v) => r with { MaxTrials = v });

    public static readonly SettingDefinition<int> RaceSize = WholeNumber(
        "AutoPassRaceSize", "raceSize", 8, atLeast: 1, "candidates screened together against one baseline run per round (1: one at a time)",
        r => r.RaceSize, (r, v) => r with { RaceSize = v }, atMost: 32);

    public static readonly SettingDefinition<double> MaxMinutes = Number(
        "AutoPassMaxMinutes", "maxMinutes", 30, "a number of minutes above 0", v => v > 0, "time budget of the search, in minutes",
        r => r.MaxMinutes, (r, v) => r with { MaxMinutes = v });

    public static readonly SettingDefinition<int> Seed = WholeNumber(
        "AutoPassSeed", "seed", 1, atLeast: null, "seed of the search and the statistics",
        r => r.Seed, (r, v) => r with { Seed = v });

    public static readonly SettingDefinition<string?> CCompiler = Text(
        "AutoPassCCompiler", "cCompiler", "CMake's choice", "C compiler to tune for",
        r => r.CCompiler, (r, v) => r with { CCompiler = v });

    public static readonly SettingDefinition<string?> CxxCompiler = Text(
        "AutoPassCxxCompiler", "cxxCompiler", "CMake's choice", "C++ compiler to tune for",
        r => r.CxxCompiler, (r, v) => r with { CxxCompiler = v });

    public static readonly SettingDefinition<string?> Generator = Text(
        "AutoPassCMakeGenerator", "generator", "CMake's choice", "CMake generator, e.g. Ninja",
        r => r.Generator, (r, v) => r with { Generator = v });

    public static readonly SettingDefinition<string?> CMakePreset = Text(
        "AutoPassCMakePreset", "cmakePreset", "none", "configure preset of the project's CMakePresets.json (cmake --preset)",
        r => r.CMakePreset, (r, v) => r with { CMakePreset = v });

    public static readonly SettingDefinition<IReadOnlyList<string>> CMakeArgs = new(
        "AutoPassCMakeArgs", "cmakeArgs", SettingKind.FlagList, [], "configure arguments as on a command line",
        "more CMake configure arguments, e.g. -DCMAKE_TOOLCHAIN_FILE=<vcpkg>/scripts/buildsystems/vcpkg.cmake",
        ParseFlags, args => string.Join(" ", args), r => r.CMakeArgs, (r, v) => r with { CMakeArgs = v }, defaultDescription: "none");

    // Build type names as CMake takes them (CMAKE_BUILD_TYPE, CMAKE_CONFIGURATION_TYPES): letters, digits, '_'.
    public static readonly SettingDefinition<IReadOnlyList<string>> BuildTypes = new(
        "AutoPassBuildTypes", "buildTypes", SettingKind.NameList, ["Release", "RelWithDebInfo"],
        "build type names separated by ';', e.g. Release;RelWithDebInfo;MinSizeRel",
        "the build types the pinned flags apply to; candidates are built and measured in the first",
        ParseBuildTypes, types => string.Join(";", types), r => r.BuildTypes, (r, v) => r with { BuildTypes = v },
        inRange: types => types.Count > 0);

    public static readonly SettingDefinition<bool> Enabled = new(
        "AutoPassEnabled", "enabled", SettingKind.TrueFalse, true, "true or false",
        "false: a plain build leaves the pinned flags out (AUTOPASS_DISABLE=ON; autopass.props honours it too)",
        bool.TryParse, v => v ? "true" : "false", r => r.Enabled, (r, v) => r with { Enabled = v });

    public static readonly SettingDefinition<double> MinEffect = Number(
        "AutoPassMinEffect", "minEffect", 0.01, "a fraction between 0 and 0.5 (0.01 = 1%)", v => v > 0 && v < 0.5,
        "smallest speedup worth claiming (0.01 = 1%)",
        r => r.MinEffect, (r, v) => r with { MinEffect = v });

    public static readonly SettingDefinition<double> Confidence = Number(
        "AutoPassConfidence", "confidence", 0.95, "a fraction between 0.5 and 1 (0.95 = 95%)", v => v > 0.5 && v < 1,
        "confidence of the reported intervals",
        r => r.Confidence, (r, v) => r with { Confidence = v });

    public static readonly SettingDefinition<bool> AllowUnsafeMath = TrueFalse(
        "AutoPassAllowUnsafeMath", "allowUnsafeMath", "allow -Ofast and the fast-math family",
        r => r.AllowUnsafeMath, (r, v) => r with { AllowUnsafeMath = v });

    public static readonly SettingDefinition<bool> AllowMachineSpecific = TrueFalse(
        "AutoPassAllowMachineSpecific", "allowMachineSpecific", "allow -march=native and friends",
        r => r.AllowMachineSpecific, (r, v) => r with { AllowMachineSpecific = v });

    public static readonly SettingDefinition<AgentMode> Agents = Choice(
        "AutoPassAgents", "agents", AgentMode.Auto, "agent stages: auto (the model server of AutoPassAgentProvider when it answers, else built-in), ollama (the model is required) or builtin",
        r => r.Agents, (r, v) => r with { Agents = v });

    // Resolved by the agent stages (OllamaEndpoint.Resolve), which read OLLAMA_HOST when this is unset.
    public static readonly SettingDefinition<string?> OllamaEndpoint = Text(
        "AutoPassOllamaEndpoint", "ollamaEndpoint", "OLLAMA_HOST, else http://localhost:11434", "the Ollama server the agent stages use",
        r => r.OllamaEndpoint, (r, v) => r with { OllamaEndpoint = v });

    public static readonly SettingDefinition<AgentProvider> AgentProvider = Choice(
        "AutoPassAgentProvider", "agentProvider", Workload.AgentProvider.Ollama,
        "the model server the agent stages ask: ollama, or openai (an OpenAI-compatible server: llama.cpp, vLLM, LM Studio; key from OPENAI_API_KEY)",
        r => r.AgentProvider, (r, v) => r with { AgentProvider = v });

    // Resolved by the agent stages (OpenAIEndpoint.Resolve); a URL without a path means its /v1.
    public static readonly SettingDefinition<string?> AgentEndpoint = Text(
        "AutoPassAgentEndpoint", "agentEndpoint", "http://localhost:8080/v1", "the OpenAI-compatible server the agent stages use with AutoPassAgentProvider=openai",
        r => r.AgentEndpoint, (r, v) => r with { AgentEndpoint = v });

    // Unset means the agent stages' default model (AgentOptions.DefaultModel); a test keeps the two equal.
    public static readonly SettingDefinition<string?> Model = Text(
        "AutoPassModel", "model", "qwen2.5-coder:7b", "the model (with AutoPassAgentProvider=openai, unset means the first the server lists)",
        r => r.Model, (r, v) => r with { Model = v });

    public static readonly SettingDefinition<SearchMode> Search = Choice(
        "AutoPassSearch", "search", SearchMode.Bandit, "search: bandit (the tuned strategies) or random (plain random search over the same catalog, the yardstick of bench/)",
        r => r.Search, (r, v) => r with { Search = v });

    public static readonly SettingDefinition<MeasurementObjective> Objective = Choice(
        "AutoPassObjective", "objective", MeasurementObjective.Time,
        "what is measured: time, or instructions counted under valgrind (deterministic, but only a proxy for time)",
        r => r.Objective, (r, v) => r with { Objective = v });

    public static readonly SettingDefinition<bool> NoNoiseWarnings = TrueFalse(
        "AutoPassNoNoiseWarnings", "noNoiseWarnings", "turn warnings about measurement noise into detail lines",
        r => r.NoNoiseWarnings, (r, v) => r with { NoNoiseWarnings = v });

    // Resolved by the markdown summary (StepSummaryFile), which reads GITHUB_STEP_SUMMARY when this is unset.
    public static readonly SettingDefinition<string?> SummaryFile = Text(
        "AutoPassSummaryFile", "summaryFile", "GITHUB_STEP_SUMMARY, else none",
        "a markdown file tuning and verify append their summary to, for CI (relative: to the directory the build started in)",
        r => r.SummaryFile, (r, v) => r with { SummaryFile = v });

    // Hot-file tuning (issue 14): without valgrind the session says so (AP2011) and tunes the whole project.
    public static readonly SettingDefinition<TuneScope> TuneScope = Choice(
        "AutoPassTuneScope", "tuneScope", Workload.TuneScope.Hot,
        "what candidates change: hot (only the source files that hold most of the baseline's run time, from a callgrind profile; the rest keep the baseline flags) or project (every file)",
        r => r.TuneScope, (r, v) => r with { TuneScope = v });

    public static readonly SettingDefinition<double> HotShare = Number(
        "AutoPassHotShare", "hotShare", 0.9, "a fraction above 0, at most 1 (0.9 = 90%)", v => v > 0 && v <= 1,
        "with AutoPassTuneScope=hot: the hottest files that together hold this share of the project's profiled instructions are tuned, less any whose compile costs each candidate more than its share pays for",
        r => r.HotShare, (r, v) => r with { HotShare = v });

    public static readonly SettingDefinition<int> BuildSlots = WholeNumber(
        "AutoPassBuildSlots", "buildSlots", 0, atLeast: 0, "with hot: candidates built at once, each in a build tree of its own (0: chosen for the build's cost, at most one per core and 4)",
        r => r.BuildSlots, (r, v) => r with { BuildSlots = v }, atMost: 16);

    // autopass recheck (-p:AutoPassRecheck=true): enough pairs for an interval, few enough for a nightly job.
    public static readonly SettingDefinition<int> RecheckPairs = WholeNumber(
        "AutoPassRecheckPairs", "recheckPairs", 30, atLeast: 10, "interleaved pairs per benchmark a recheck measures the pinned set and the baseline in",
        r => r.RecheckPairs, (r, v) => r with { RecheckPairs = v }, atMost: 1000);

    // The shared trial store (issue 30): a connection string, so never echoed; the trial store masks its password in messages.
    public static readonly SettingDefinition<string?> Store = Text(
        "AutoPassStore", "store", "none (the local ledger only)",
        "a PostgreSQL connection string (Host=...;Database=...;Username=...;Password=...): every ledger line is written to this shared trial store too",
        r => r.Store, (r, v) => r with { Store = v });

    public static readonly SettingDefinition<string?> Campaign = Text(
        "AutoPassCampaign", "campaign", "the request key", "the campaign name the session's lines go under in AutoPassStore (replay reads it back)",
        r => r.Campaign, (r, v) => r with { Campaign = v });

    // One pinned set per machine class (issue 30); checked where a set is chosen or pinned (PinnedMachineClasses).
    public static readonly SettingDefinition<string?> MachineClass = Text(
        "AutoPassMachineClass", "machineClass", "the first class pinned",
        "the machine class whose pinned set a plain build, verify and recheck use (AUTOPASS_MACHINE_CLASS for CMake), and that a tuning session pins for",
        r => r.MachineClass, (r, v) => r with { MachineClass = v });

    public static readonly SettingDefinition<bool> Worker = TrueFalse(
        "AutoPassWorker", "worker",
        "run as one worker of the AutoPassStore campaign: race batches of candidates claimed from the store against this machine's own baseline, with the other workers of its machine class",
        r => r.Worker, (r, v) => r with { Worker = v });

    public static readonly SettingDefinition<bool> Conclude = TrueFalse(
        "AutoPassConclude", "conclude",
        "with AutoPassStore: confirm the campaign's winner for this machine's class afresh here and pin it, racing nothing (autopass conclude)",
        r => r.Conclude, (r, v) => r with { Conclude = v });

    /// <summary>Every setting, in the order --help lists them and ranges are checked.</summary>
    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        BaselineFlags, MaxTrials, MaxMinutes, RaceSize, Seed, CCompiler, CxxCompiler, Generator, CMakePreset, CMakeArgs, BuildTypes, Enabled,
        MinEffect, Confidence,
        AllowUnsafeMath, AllowMachineSpecific, Agents, OllamaEndpoint, Model, Search, Objective, NoNoiseWarnings, SummaryFile,
        AgentProvider, AgentEndpoint,
        TuneScope, HotShare, BuildSlots, RecheckPairs,
        Store, Campaign, MachineClass, Worker, Conclude,
    ];

    /// <summary>The setting with this request key (case-insensitive, as the request file's other fields are), or null.</summary>
    public static SettingDefinition? Find(string key) =>
        All.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The request with each given setting read from its text (key → text, as in the request file's "settings"
    /// object); settings not given keep their values in <paramref name="request"/>.
    /// </summary>
    /// <exception cref="AutoPassException">AP1004 for an unknown key, a key given twice, or text not of the setting's form.</exception>
    public static TuningRequest Apply(TuningRequest request, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var given = new HashSet<SettingDefinition>();
        foreach (var (key, text) in settings)
        {
            var setting = Find(key) ?? throw new AutoPassException(DiagnosticCode.InvalidSetting,
                $"The request sets '{key}', which is not a setting.", $"Use one of: {string.Join(", ", All.Select(s => s.Key))}.");
            if (!given.Add(setting))
                throw new AutoPassException(DiagnosticCode.InvalidSetting, $"The request sets {setting.Property} ('{setting.Key}') twice.", "Set it once.");
            request = setting.Apply(request, text);
        }
        return request;
    }

    /// <summary>Throws AP1004 naming the first setting whose value is out of its range.</summary>
    public static void CheckRanges(TuningRequest request)
    {
        foreach (var setting in All) setting.CheckRange(request);
    }

    private static SettingDefinition<int> WholeNumber(string property, string key, int defaultValue, int? atLeast, string help,
        Func<TuningRequest, int> read, Func<TuningRequest, int, TuningRequest> write, int? atMost = null) =>
        new(property, key, SettingKind.WholeNumber, defaultValue,
            atLeast is null ? "a whole number" : atMost is null ? $"a whole number of at least {atLeast}" : $"a whole number from {atLeast} to {atMost}", help,
            (string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value),
            Invariant, read, write, inRange: atLeast is null ? null : v => v >= atLeast && (atMost is null || v <= atMost));

    private static SettingDefinition<double> Number(string property, string key, double defaultValue, string expected, Func<double, bool> inRange,
        string help, Func<TuningRequest, double> read, Func<TuningRequest, double, TuningRequest> write) =>
        new(property, key, SettingKind.Number, defaultValue, expected, help,
            (string text, out double value) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            Invariant, read, write, inRange);

    private static SettingDefinition<bool> TrueFalse(string property, string key, string help,
        Func<TuningRequest, bool> read, Func<TuningRequest, bool, TuningRequest> write) =>
        new(property, key, SettingKind.TrueFalse, false, "true or false", help,
            bool.TryParse, v => v ? "true" : "false", read, write);

    private static SettingDefinition<TEnum> Choice<TEnum>(string property, string key, TEnum defaultValue, string help,
        Func<TuningRequest, TEnum> read, Func<TuningRequest, TEnum, TuningRequest> write) where TEnum : struct, Enum
    {
        var names = Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()).ToList();
        string expected = string.Join(", ", names[..^1]) + " or " + names[^1];
        // Names only: Enum.TryParse alone would also take "7", which is no member.
        return new(property, key, SettingKind.Choice, defaultValue, expected, help,
            (string text, out TEnum value) =>
            {
                value = defaultValue;
                return names.Contains(text.ToLowerInvariant()) && Enum.TryParse(text, ignoreCase: true, out value);
            },
            v => v.ToString().ToLowerInvariant(), read, write);
    }

    private static SettingDefinition<string?> Text(string property, string key, string defaultDescription, string help,
        Func<TuningRequest, string?> read, Func<TuningRequest, string?, TuningRequest> write) =>
        new(property, key, SettingKind.Text, null, "a name or path", help,
            (string text, out string? value) => { value = text; return true; },
            v => v ?? "", read, write, defaultDescription: defaultDescription);

    private static bool ParseFlags(string text, out IReadOnlyList<string> flags)
    {
        try
        {
            flags = CommandLineSplitter.Split(text);
            return true;
        }
        catch (FormatException)
        {
            flags = [];
            return false;
        }
    }

    private static bool ParseBuildTypes(string text, out IReadOnlyList<string> types)
    {
        types = text.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return types.Count > 0 && types.All(t => t.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'));
    }

    private static string Invariant<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
