using AutoPass.Core.Build;

namespace AutoPass.Core.Tests.Build;

/// <summary>
/// What AutoPass reads of a configure preset (its cache variables, for the team's CMAKE_PROJECT_INCLUDE) and of
/// configure arguments, resolved as CMake resolves them.
/// </summary>
[Trait("Category", "Real")]
public sealed class CMakePresetsTests : IDisposable
{
    private readonly string _source = Directory.CreateTempSubdirectory("autopass-presets-").FullName;

    public void Dispose() => Directory.Delete(_source, recursive: true);

    [Fact]
    public void Inherited_cache_variables_resolve_with_the_presets_own_first_then_its_parents_in_order_and_macros_expanded()
    {
        Directory.CreateDirectory(Path.Combine(_source, "presets"));
        File.WriteAllText(Path.Combine(_source, "CMakePresets.json"), """
            {
              "version": 4,
              "include": ["presets/common.json"],
              "configurePresets": [
                { "name": "second", "hidden": true, "cacheVariables": { "A": "from second", "B": "from second" } },
                { "name": "release", "inherits": ["first", "second"],
                  "cacheVariables": { "CMAKE_PROJECT_INCLUDE": { "type": "FILEPATH", "value": "${sourceDir}/cmake/${presetName}.cmake" }, "C": null, "D": true } }
              ]
            }
            """);
        File.WriteAllText(Path.Combine(_source, "presets", "common.json"), """
            { "version": 4, "configurePresets": [ { "name": "first", "hidden": true, "cacheVariables": { "A": "from first", "C": "from first", "E": "$env{AUTOPASS_PRESET_TEST}${dollar}" } } ] }
            """);
        Environment.SetEnvironmentVariable("AUTOPASS_PRESET_TEST", "env");
        try
        {
            var variables = CMakePresets.CacheVariables(_source, "release")!;

            Assert.Equal(Path.Combine(_source, "cmake", "release.cmake"), variables["CMAKE_PROJECT_INCLUDE"]);
            Assert.Equal("from first", variables["A"]);
            Assert.Equal("from second", variables["B"]);
            Assert.False(variables.ContainsKey("C")); // null unsets what a parent set
            Assert.Equal("TRUE", variables["D"]);
            Assert.Equal("env$", variables["E"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AUTOPASS_PRESET_TEST", null);
        }
    }

    [Fact]
    public void A_user_preset_file_sees_the_projects_presets()
    {
        File.WriteAllText(Path.Combine(_source, "CMakePresets.json"), """{ "version": 3, "configurePresets": [ { "name": "base", "cacheVariables": { "X": "1" } } ] }""");
        File.WriteAllText(Path.Combine(_source, "CMakeUserPresets.json"), """{ "version": 3, "configurePresets": [ { "name": "mine", "inherits": "base" } ] }""");

        Assert.Equal("1", CMakePresets.CacheVariables(_source, "mine")!["X"]);
    }

    [Fact]
    public void An_unknown_preset_or_an_unreadable_file_gives_nothing_and_leaves_the_error_to_CMake()
    {
        Assert.Null(CMakePresets.CacheVariables(_source, "release"));
        File.WriteAllText(Path.Combine(_source, "CMakePresets.json"), "{ not json");
        Assert.Null(CMakePresets.CacheVariables(_source, "release"));
    }

    [Theory]
    [InlineData(new[] { "-DCMAKE_PROJECT_INCLUDE=/a.cmake" }, "/a.cmake")]
    [InlineData(new[] { "-DCMAKE_PROJECT_INCLUDE:FILEPATH=/a.cmake", "-DOTHER=1" }, "/a.cmake")]
    [InlineData(new[] { "-D", "CMAKE_PROJECT_INCLUDE=/a.cmake", "-D", "CMAKE_PROJECT_INCLUDE=/b.cmake" }, "/b.cmake")]
    [InlineData(new[] { "-DCMAKE_PROJECT_INCLUDE_BEFORE=/a.cmake", "-DCMAKE_TOOLCHAIN_FILE=/t.cmake" }, null)]
    public void The_teams_include_is_found_in_configure_arguments_the_last_one_winning(string[] arguments, string? expected) =>
        Assert.Equal(expected, CMakeBuilder.ProjectIncludeInArguments(arguments));
}
