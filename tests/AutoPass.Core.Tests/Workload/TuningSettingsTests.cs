using AutoPass.Core.Agents;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Workload;

/// <summary>The settings table reads every setting into its own TuningRequest field and rejects bad values by property name.</summary>
public class TuningSettingsTests
{
    private static TuningRequest Bare() => new() { SourceDir = "/src", OutputDir = "/out", IntermediateDir = "/obj", Benchmarks = [] };

    /// <summary>For each setting: a valid text that is not its default, and the value it must put in the request.</summary>
    private static readonly Dictionary<string, (string Text, Func<TuningRequest, object?> Field, object Expected)> NonDefault = new()
    {
        ["baselineFlags"] = ("-O2 -fno-plt", r => r.BaselineFlags, new[] { "-O2", "-fno-plt" }),
        ["maxTrials"] = (" 7 ", r => r.MaxTrials, 7),
        ["raceSize"] = ("12", r => r.RaceSize, 12),
        ["maxMinutes"] = ("2.5", r => r.MaxMinutes, 2.5),
        ["seed"] = ("-3", r => r.Seed, -3),
        ["cCompiler"] = (" /usr/bin/clang ", r => r.CCompiler, "/usr/bin/clang"),
        ["cxxCompiler"] = ("clang++", r => r.CxxCompiler, "clang++"),
        ["generator"] = ("Unix Makefiles", r => r.Generator, "Unix Makefiles"),
        ["cmakePreset"] = ("release-vcpkg", r => r.CMakePreset, "release-vcpkg"),
        ["cmakeArgs"] = ("-DCMAKE_TOOLCHAIN_FILE=\"/opt/my vcpkg/scripts/buildsystems/vcpkg.cmake\" -DVCPKG_TARGET_TRIPLET=x64-linux", r => r.CMakeArgs,
            new[] { "-DCMAKE_TOOLCHAIN_FILE=/opt/my vcpkg/scripts/buildsystems/vcpkg.cmake", "-DVCPKG_TARGET_TRIPLET=x64-linux" }),
        ["buildTypes"] = (" RelWithDebInfo; MinSizeRel ", r => r.BuildTypes, new[] { "RelWithDebInfo", "MinSizeRel" }),
        ["enabled"] = ("False", r => r.Enabled, false),
        ["minEffect"] = ("0.03", r => r.MinEffect, 0.03),
        ["confidence"] = ("0.99", r => r.Confidence, 0.99),
        ["allowUnsafeMath"] = ("True", r => r.AllowUnsafeMath, true),
        ["allowMachineSpecific"] = ("true", r => r.AllowMachineSpecific, true),
        ["agents"] = ("Ollama", r => r.Agents, AgentMode.Ollama),
        ["ollamaEndpoint"] = ("http://gpu-box:11434", r => r.OllamaEndpoint, "http://gpu-box:11434"),
        ["agentProvider"] = ("OpenAI", r => r.AgentProvider, AgentProvider.OpenAI),
        ["agentEndpoint"] = ("http://gpu-box:8000/v1", r => r.AgentEndpoint, "http://gpu-box:8000/v1"),
        ["model"] = ("llama3.1:8b", r => r.Model, "llama3.1:8b"),
        ["search"] = ("random", r => r.Search, SearchMode.Random),
        ["objective"] = ("instructions", r => r.Objective, MeasurementObjective.Instructions),
        ["noNoiseWarnings"] = ("true", r => r.NoNoiseWarnings, true),
        ["summaryFile"] = ("ci/summary.md", r => r.SummaryFile, "ci/summary.md"),
        ["tuneScope"] = ("Project", r => r.TuneScope, TuneScope.Project),
        ["hotShare"] = ("0.75", r => r.HotShare, 0.75),
        ["buildSlots"] = ("3", r => r.BuildSlots, 3),
        ["recheckPairs"] = ("45", r => r.RecheckPairs, 45),
        ["store"] = ("Host=db;Database=autopass;Username=tuner;Password=x", r => r.Store, "Host=db;Database=autopass;Username=tuner;Password=x"),
        ["campaign"] = (" nightly-gcc14 ", r => r.Campaign, "nightly-gcc14"),
        ["machineClass"] = (" x86_64-epyc-gcc14 ", r => r.MachineClass, "x86_64-epyc-gcc14"),
        ["worker"] = ("true", r => r.Worker, true),
        ["conclude"] = ("true", r => r.Conclude, true),
    };

    public static TheoryData<string> Keys() => [.. TuningSettings.All.Select(s => s.Key)];

    [Fact]
    public void The_cases_here_cover_every_setting_in_the_table() =>
        Assert.Equal(TuningSettings.All.Select(s => s.Key).Order(), NonDefault.Keys.Order());

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_valid_non_default_value_reaches_its_own_request_field_and_no_other(string key)
    {
        var (text, field, expected) = NonDefault[key];
        var before = Bare();
        Assert.NotEqual(expected, Normalize(field(before)));

        var after = TuningSettings.Apply(before, [new(key, text)]);

        Assert.Equal(expected, Normalize(field(after)));
        // Every other field keeps its default.
        foreach (var (otherKey, other) in NonDefault.Where(c => c.Key != key))
            Assert.Equal(Normalize(other.Field(before)), Normalize(other.Field(after)));
    }

    [Fact]
    public void A_request_with_no_settings_has_the_tables_defaults()
    {
        var request = TuningSettings.Apply(Bare(), []);

        Assert.Equal(new[] { "-O3" }, request.BaselineFlags);
        Assert.Equal(200, request.MaxTrials);
        Assert.Equal(8, request.RaceSize);
        Assert.Equal(30, request.MaxMinutes);
        Assert.Equal(0.01, request.MinEffect);
        Assert.Equal(0.95, request.Confidence);
        Assert.Equal(AgentMode.Auto, request.Agents);
        Assert.Equal(new[] { "Release", "RelWithDebInfo" }, request.BuildTypes);
        Assert.True(request.Enabled);
        foreach (var setting in TuningSettings.All)
            Assert.Equal(setting.DefaultText, DefaultTextOf(setting, request));
    }

    [Theory]
    [InlineData("maxTrials", "")]
    [InlineData("maxTrials", "   ")]
    [InlineData("agents", "")]
    [InlineData("baselineFlags", " ")]
    public void A_blank_value_means_the_default(string key, string blank)
    {
        var changed = TuningSettings.Apply(Bare(), [new(key, NonDefault[key].Text)]);

        var reset = TuningSettings.Apply(changed, [new(key, blank)]);

        Assert.Equal(Normalize(NonDefault[key].Field(Bare())), Normalize(NonDefault[key].Field(reset)));
    }

    [Theory]
    [InlineData("maxTrials", "lots", "AutoPassMaxTrials", "a whole number of at least 1")]
    [InlineData("maxTrials", "2.5", "AutoPassMaxTrials", "a whole number of at least 1")]
    [InlineData("seed", "one", "AutoPassSeed", "a whole number")]
    [InlineData("maxMinutes", "half an hour", "AutoPassMaxMinutes", "a number of minutes above 0")]
    [InlineData("minEffect", "1%", "AutoPassMinEffect", "a fraction between 0 and 0.5 (0.01 = 1%)")]
    [InlineData("confidence", "0,95", "AutoPassConfidence", "a fraction between 0.5 and 1 (0.95 = 95%)")]
    [InlineData("allowUnsafeMath", "yes", "AutoPassAllowUnsafeMath", "true or false")]
    [InlineData("noNoiseWarnings", "1", "AutoPassNoNoiseWarnings", "true or false")]
    [InlineData("agents", "cloud", "AutoPassAgents", "auto, ollama or builtin")]
    [InlineData("agents", "1", "AutoPassAgents", "auto, ollama or builtin")]
    [InlineData("agentProvider", "azure", "AutoPassAgentProvider", "ollama or openai")]
    [InlineData("search", "genetic", "AutoPassSearch", "bandit or random")]
    [InlineData("objective", "cycles", "AutoPassObjective", "time or instructions")]
    [InlineData("baselineFlags", "-O2 \"-DNAME=open", "AutoPassBaselineFlags", "compiler flags as on a command line")]
    [InlineData("buildTypes", "Release;Rel-Debug", "AutoPassBuildTypes", "build type names separated by ';', e.g. Release;RelWithDebInfo;MinSizeRel")]
    [InlineData("enabled", "no", "AutoPassEnabled", "true or false")]
    public void A_value_not_of_the_settings_form_is_AP1004_naming_the_property(string key, string text, string property, string expected)
    {
        var error = Assert.Throws<AutoPassException>(() => TuningSettings.Apply(Bare(), [new(key, text)]));

        Assert.Equal(DiagnosticCode.InvalidSetting, error.Code);
        Assert.Equal($"{property} is '{text}'.", error.Message);
        Assert.Equal($"Set it to {expected}.", error.Fix);
    }

    [Theory]
    [InlineData("maxTrials", "0", "AutoPassMaxTrials", "a whole number of at least 1")]
    [InlineData("raceSize", "33", "AutoPassRaceSize", "a whole number from 1 to 32")]
    [InlineData("maxMinutes", "0", "AutoPassMaxMinutes", "a number of minutes above 0")]
    [InlineData("maxMinutes", "NaN", "AutoPassMaxMinutes", "a number of minutes above 0")]
    [InlineData("minEffect", "0.5", "AutoPassMinEffect", "a fraction between 0 and 0.5 (0.01 = 1%)")]
    [InlineData("minEffect", "-0.01", "AutoPassMinEffect", "a fraction between 0 and 0.5 (0.01 = 1%)")]
    [InlineData("confidence", "95", "AutoPassConfidence", "a fraction between 0.5 and 1 (0.95 = 95%)")]
    [InlineData("confidence", "0.5", "AutoPassConfidence", "a fraction between 0.5 and 1 (0.95 = 95%)")]
    public void An_out_of_range_value_is_AP1004_naming_the_property(string key, string text, string property, string expected)
    {
        var request = TuningSettings.Apply(Bare(), [new(key, text)]);

        var error = Assert.Throws<AutoPassException>(() => TuningSettings.CheckRanges(request));

        Assert.Equal(DiagnosticCode.InvalidSetting, error.Code);
        Assert.Equal($"{property} is '{text}'.", error.Message);
        Assert.Equal($"Set it to {expected}.", error.Fix);
    }

    [Fact]
    public void The_defaults_are_in_range_of_a_check_that_refuses_values_just_past_it()
    {
        var defaults = Bare();

        Assert.Null(Record.Exception(() => TuningSettings.CheckRanges(defaults)));
        // The same check, a step past each bound: passing the defaults means they were checked.
        foreach (var (key, text) in new[] { ("maxTrials", "0"), ("raceSize", "33"), ("maxMinutes", "0"), ("minEffect", "0.5"), ("confidence", "1"), ("hotShare", "0"), ("buildSlots", "17") })
        {
            var error = Assert.Throws<AutoPassException>(() => TuningSettings.CheckRanges(TuningSettings.Apply(defaults, [new(key, text)])));
            Assert.Equal(DiagnosticCode.InvalidSetting, error.Code);
        }
    }

    [Fact]
    public void Request_validation_checks_the_ranges_of_the_table()
    {
        string source = Directory.CreateTempSubdirectory("autopass-settings-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(source, "CMakeLists.txt"), "");
            var request = Bare() with { SourceDir = source, Benchmarks = [new BenchmarkSpec("bench", [])], Confidence = 1 };

            var error = Assert.Throws<AutoPassException>(() => RequestValidation.Validate(request));

            Assert.Equal("AutoPassConfidence is '1'.", error.Message);
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }
    }

    [Fact]
    public void An_unknown_key_is_AP1004_naming_it()
    {
        var error = Assert.Throws<AutoPassException>(() => TuningSettings.Apply(Bare(), [new("maxTrails", "5")]));

        Assert.Equal(DiagnosticCode.InvalidSetting, error.Code);
        Assert.Contains("'maxTrails'", error.Message);
        Assert.Contains("maxTrials", error.Fix);
    }

    [Fact]
    public void Keys_match_regardless_of_case_as_the_request_files_other_fields_do() =>
        Assert.Equal(9, TuningSettings.Apply(Bare(), [new("MaxTrials", "9")]).MaxTrials);

    [Fact]
    public void A_setting_given_twice_is_AP1004()
    {
        var error = Assert.Throws<AutoPassException>(() => TuningSettings.Apply(Bare(), [new("maxTrials", "5"), new("MAXTRIALS", "6")]));

        Assert.Equal(DiagnosticCode.InvalidSetting, error.Code);
        Assert.Contains("AutoPassMaxTrials", error.Message);
    }

    [Fact]
    public void Property_names_and_keys_are_unique_and_follow_the_naming_rule()
    {
        Assert.Equal(TuningSettings.All.Count, TuningSettings.All.Select(s => s.Property).Distinct().Count());
        Assert.Equal(TuningSettings.All.Count, TuningSettings.All.Select(s => s.Key.ToLowerInvariant()).Distinct().Count());
        Assert.All(TuningSettings.All, s => Assert.StartsWith("AutoPass", s.Property));
        Assert.All(TuningSettings.All, s => Assert.False(string.IsNullOrWhiteSpace(s.Help), s.Key));
        Assert.All(TuningSettings.All, s => Assert.DoesNotContain('\n', s.Help));
    }

    [Fact]
    public void Described_defaults_agree_with_the_code_that_applies_them()
    {
        // Unset, these two are resolved by the agent stages; the table only describes what they do.
        Assert.Equal(AgentOptions.DefaultModel, TuningSettings.Model.DefaultText);
        Assert.Contains(AutoPass.Core.Agents.Ollama.OllamaEndpoint.Default.TrimEnd('/'), TuningSettings.OllamaEndpoint.DefaultText);
        Assert.Null(Bare().Model);
        Assert.Null(Bare().OllamaEndpoint);
        Assert.Equal(AutoPass.Core.Agents.OpenAICompatible.OpenAIEndpoint.Default, TuningSettings.AgentEndpoint.DefaultText);
        Assert.Null(Bare().AgentEndpoint);
        Assert.Equal(AgentProvider.Ollama, Bare().AgentProvider);
    }

    /// <summary>The request's value as the table would show it, to compare with DefaultText.</summary>
    private static string DefaultTextOf(SettingDefinition setting, TuningRequest request) => setting switch
    {
        // Unset: the table describes what happens instead of giving a value.
        SettingDefinition<string?> text => text.Read(request) is null ? text.DefaultText : $"set to {text.Read(request)}",
        SettingDefinition<IReadOnlyList<string>> list => list.Read(request).Count == 0 ? list.DefaultText : list.Format(list.Read(request)),
        SettingDefinition<int> whole => whole.Read(request).ToString(System.Globalization.CultureInfo.InvariantCulture),
        SettingDefinition<double> number => number.Read(request).ToString(System.Globalization.CultureInfo.InvariantCulture),
        SettingDefinition<bool> flag => flag.Read(request) ? "true" : "false",
        SettingDefinition<AgentMode> agents => agents.Read(request).ToString().ToLowerInvariant(),
        SettingDefinition<AgentProvider> provider => provider.Read(request).ToString().ToLowerInvariant(),
        SettingDefinition<SearchMode> search => search.Read(request).ToString().ToLowerInvariant(),
        SettingDefinition<MeasurementObjective> objective => objective.Read(request).ToString().ToLowerInvariant(),
        SettingDefinition<TuneScope> scope => scope.Read(request).ToString().ToLowerInvariant(),
        _ => throw new InvalidOperationException($"no case for {setting.Key}"),
    };

    /// <summary>Lists compare by their items.</summary>
    private static object? Normalize(object? value) => value is IEnumerable<string> list ? list.ToArray() : value;
}
