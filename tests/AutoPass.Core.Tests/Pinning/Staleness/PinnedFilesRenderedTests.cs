using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Pinning.Staleness;

namespace AutoPass.Core.Tests.Pinning.Staleness;

[Trait("Category", "Real")]
public sealed class PinnedFilesRenderedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-rendered-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Output => Path.Combine(_dir, "autopass");

    private static LockFile Sample(IReadOnlyList<string>? buildTypes = null) => new()
    {
        Tool = new LockTool("AutoPass", "0.1.0"),
        Compiler = new LockCompiler("gcc", "12.2.0", "[12.0.0, 13.0.0)"),
        Machine = new LockMachine("cpu", 2, "linux", "x64"),
        Baseline = new LockBaseline(["-O2"]),
        Flags = ["-funroll-loops"],
        BuildTypes = buildTypes,
        Outcome = "improved",
        Reason = "because",
        Policy = new LockPolicy(false, false),
        Speedup = new LockSpeedup(1.07, 1.04, 1.1, 0.95, 40),
        Benchmarks = [],
        Trials = 12,
    };

    private LockFile Written() => LockFile.Parse(File.ReadAllText(Path.Combine(Output, PinnedFiles.LockName)));

    private IReadOnlyList<StalenessFinding> Check() => PinnedFilesRendered.Check(Output, _dir, Written());

    [Fact]
    public void A_set_as_written_is_what_the_lock_renders_with_either_line_ending()
    {
        PinnedFiles.Write(Output, Sample(["RelWithDebInfo", "Profile"]), _dir);
        Assert.Empty(Check());

        // A Windows checkout (core.autocrlf) turns every line ending into CRLF: the same text.
        foreach (var name in new[] { PinnedFiles.CMakeName, PinnedFiles.PropsName })
        {
            string path = Path.Combine(Output, name);
            File.WriteAllText(path, File.ReadAllText(path).Replace("\n", "\r\n"));
        }
        Assert.Empty(Check());
    }

    [Fact]
    public void Rendering_uses_the_build_types_the_lock_recorded()
    {
        PinnedFiles.Write(Output, Sample(["RelWithDebInfo", "Profile"]), _dir);
        Assert.Equal(["RelWithDebInfo", "Profile"], Written().BuildTypes);
        Assert.Contains("set(AUTOPASS_CONFIGS \"RelWithDebInfo\" \"Profile\")", File.ReadAllText(Path.Combine(Output, PinnedFiles.CMakeName)));

        // The same lock without its build types renders for the default ones: the checked-in files no longer match.
        var without = Written() with { BuildTypes = null };
        var findings = PinnedFilesRendered.Check(Output, _dir, without);
        Assert.Equal(2, findings.Count);
        Assert.Contains("set(AUTOPASS_CONFIGS \"RelWithDebInfo\" \"Profile\")' where the rendered file has '  set(AUTOPASS_CONFIGS \"Release\" \"RelWithDebInfo\")'", findings[0].Message);
        Assert.Contains(">RelWithDebInfo;Profile</_AutoPassConfigurations>' where the rendered file has", findings[1].Message);
    }

    [Fact]
    public void A_lock_without_build_types_reads_as_the_default()
    {
        PinnedFiles.Write(Output, Sample(), _dir);
        string json = File.ReadAllText(Path.Combine(Output, PinnedFiles.LockName));

        Assert.DoesNotContain("buildTypes", json);
        Assert.Equal(["Release", "RelWithDebInfo"], LockFile.Parse(json).PinnedBuildTypes);
        Assert.Empty(Check());
    }

    [Theory]
    [InlineData("../../x")]
    [InlineData("Release\"")]
    [InlineData("")]
    public void A_lock_whose_build_types_are_not_names_is_invalid(string buildType)
    {
        PinnedFiles.Write(Output, Sample(), _dir);
        string json = File.ReadAllText(Path.Combine(Output, PinnedFiles.LockName))
            .Replace("\"flags\": [", $"\"buildTypes\": [{System.Text.Json.JsonSerializer.Serialize(buildType)}],\n  \"flags\": [");

        Assert.Throws<System.Text.Json.JsonException>(() => LockFile.Parse(json));
    }

    [Fact]
    public void An_appended_line_is_quoted_with_its_file_and_number()
    {
        PinnedFiles.Write(Output, Sample(), _dir);
        string cmake = Path.Combine(Output, PinnedFiles.CMakeName);
        int lines = File.ReadAllLines(cmake).Length;
        File.AppendAllText(cmake, "execute_process(COMMAND touch /tmp/owned)\n");

        var finding = Assert.Single(Check());

        Assert.Equal(DiagnosticCode.PinnedFileNotRendered, finding.Code);
        Assert.StartsWith($"{cmake} is not what autopass.lock.json renders: line {lines + 1} is 'execute_process(COMMAND touch /tmp/owned)', past the end of the rendered file.", finding.Message);
        Assert.Contains("autopass render --source", finding.Fix);
        Assert.Contains("version control", finding.Fix);
    }

    [Fact]
    public void A_line_removed_or_changed_is_found_where_it_is()
    {
        Assert.Equal("line 2 is 'b2' where the rendered file has 'b'.", PinnedFilesRendered.FirstDifference("a\nb2\nc\n", "a\nb\nc\n"));
        Assert.Equal("it ends at line 2, where the rendered file goes on with 'c'.", PinnedFilesRendered.FirstDifference("a\nb", "a\nb\nc\n"));
        Assert.Null(PinnedFilesRendered.FirstDifference("a\r\nb\r\n", "a\nb\n"));
        Assert.Equal("line 3 is '', past the end of the rendered file.", PinnedFilesRendered.FirstDifference("a\nb\n\n", "a\nb\n"));
    }
}
