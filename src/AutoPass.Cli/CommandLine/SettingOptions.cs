using System.CommandLine;
using AutoPass.Core.Workload;

namespace AutoPass.Cli.CommandLine;

/// <summary>
/// One command-line option per setting of the settings table (TuningSettings): --max-trials for maxTrials
/// (AutoPassMaxTrials), and so on. The text goes through the same table as an MSBuild property's, so the forms,
/// defaults and ranges are the same both ways.
/// </summary>
internal sealed class SettingOptions
{
    private readonly List<(SettingDefinition Setting, Option Option)> _options;

    public SettingOptions()
    {
        _options = TuningSettings.All.Select(s => (s, Create(s))).ToList();
    }

    public IEnumerable<Option> All => _options.Select(o => o.Option);

    /// <summary>--max-trials for maxTrials: the request key in kebab case.</summary>
    public static string NameOf(SettingDefinition setting) =>
        "--" + string.Concat(setting.Key.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>The settings given on the command line, request key → text, as the request file's "settings" object holds them.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Given(ParseResult result)
    {
        foreach (var (setting, option) in _options)
        {
            if (result.GetResult(option) is not { Implicit: false }) continue;
            string? text = option switch
            {
                Option<bool> flag => result.GetValue(flag) ? "true" : "false",
                Option<string> value => result.GetValue(value),
                _ => null,
            };
            yield return new(setting.Key, text);
        }
    }

    /// <summary>The option of the setting an AP1004 names by its MSBuild property: what the user typed here.</summary>
    public static string Rename(string message) =>
        TuningSettings.All.Aggregate(message, (text, s) => text.Replace(s.Property + " is", NameOf(s) + " is", StringComparison.Ordinal));

    private static Option Create(SettingDefinition setting)
    {
        string description = $"{setting.Help} (default {setting.DefaultText}; MSBuild: {setting.Property})";
        // true/false settings are switches (--allow-unsafe-math), as on any command line; "--x false" also works.
        return setting.Kind == SettingKind.TrueFalse
            ? new Option<bool>(NameOf(setting)) { Description = description }
            : new Option<string>(NameOf(setting)) { Description = description, HelpName = HelpName(setting.Kind) };
    }

    private static string HelpName(SettingKind kind) => kind switch
    {
        SettingKind.WholeNumber => "n",
        SettingKind.Number => "x",
        SettingKind.FlagList => "flags",
        SettingKind.Choice => "name",
        _ => "text",
    };
}
