using System.Text.RegularExpressions;
using System.Xml.Linq;
using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Workload;

namespace AutoPass.Build.Tests;

/// <summary>
/// Keeps the hops of a setting honest: every setting of the table (TuningSettings) is forwarded by the targets
/// under its request key, has no second default in the props, and is documented in the README with the same default.
/// </summary>
public sealed class SettingsTableTests
{
    private static readonly XNamespace MSBuildNamespace = "http://schemas.microsoft.com/developer/msbuild/2003";

    private static XDocument BuildFile(string name) => XDocument.Load(Path.Combine(Repo.Root, "build", name));

    /// <summary>Elements by local name: the build files may or may not declare MSBuild's XML namespace.</summary>
    private static IEnumerable<XElement> Elements(XContainer root, string name) =>
        root.Descendants().Where(e => e.Name.LocalName == name && (e.Name.Namespace == XNamespace.None || e.Name.Namespace == MSBuildNamespace));

    public static TheoryData<string> Keys() => [.. TuningSettings.All.Select(s => s.Key)];

    [Theory]
    [MemberData(nameof(Keys))]
    public void The_targets_forward_each_setting_from_its_property_under_its_request_key(string key)
    {
        var setting = TuningSettings.Find(key)!;
        var items = Elements(BuildFile("AutoPass.Build.targets"), "_AutoPassSetting").Where(e => (string?)e.Attribute("Include") == key).ToList();

        var item = Assert.Single(items);
        Assert.Equal($"$({setting.Property})", (string?)item.Attribute("Value"));
    }

    [Fact]
    public void The_targets_forward_nothing_the_table_does_not_know_and_the_tune_target_passes_them_all()
    {
        var targets = BuildFile("AutoPass.Build.targets");
        var forwarded = Elements(targets, "_AutoPassSetting").Select(e => (string?)e.Attribute("Include")).ToList();

        Assert.Equal(TuningSettings.All.Select(s => s.Key).Order(), forwarded.Order());
        var tune = Elements(targets, "RunAutoPass").Single(e => (string?)e.Attribute("Command") == "tune");
        Assert.Equal("@(_AutoPassSetting)", (string?)tune.Attribute("Settings"));
    }

    [Fact]
    public void The_props_hold_no_default_of_a_setting()
    {
        var defined = Elements(BuildFile("AutoPass.Build.props"), "PropertyGroup").SelectMany(g => g.Elements()).Select(e => e.Name.LocalName).ToHashSet();

        Assert.All(TuningSettings.All, s => Assert.DoesNotContain(s.Property, defined));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void The_readme_documents_each_setting_with_the_tables_default(string key)
    {
        var setting = TuningSettings.Find(key)!;

        Assert.True(ReadmeDefaults().TryGetValue(setting.Property, out var documented), $"README.md's property table has no row for {setting.Property}");
        Assert.Equal(setting.DefaultText, documented);
    }

    /// <summary>Property → default from README.md's property table (`A` / `B` rows share one default; backticks dropped).</summary>
    private static Dictionary<string, string> ReadmeDefaults()
    {
        var defaults = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(Path.Combine(Repo.Root, "README.md")))
        {
            var row = Regex.Match(line, @"^\|\s*(`AutoPass[^|]*)\|([^|]*)\|");
            if (!row.Success) continue;
            string documented = row.Groups[2].Value.Replace("`", "").Trim();
            foreach (var name in row.Groups[1].Value.Split('/'))
                defaults[name.Replace("`", "").Trim()] = documented;
        }
        return defaults;
    }
}
