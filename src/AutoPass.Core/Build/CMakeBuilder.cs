using System.Text.Json;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Processes;

namespace AutoPass.Core.Build;

/// <summary>How to configure the user's CMake project.</summary>
internal sealed record CMakeSettings(string SourceDir, string? Generator = null, string? CCompiler = null, string? CxxCompiler = null)
{
    /// <summary>A configure preset of the project's CMakePresets.json (cmake --preset), or null.</summary>
    public string? Preset { get; init; }

    /// <summary>More configure arguments, e.g. -DCMAKE_TOOLCHAIN_FILE=...; AutoPass's own -D settings come after them and win.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>The build types the flags apply to; the first is the one built and measured.</summary>
    public IReadOnlyList<string> BuildTypes { get; init; } = CMakeFlagsScript.DefaultBuildTypes;

    /// <summary>Build without the flags (AUTOPASS_DISABLE=ON): the script still runs the project's own include.</summary>
    public bool FlagsDisabled { get; init; }

    /// <summary>The build type candidates are built and measured in: the first of <see cref="BuildTypes"/>.</summary>
    public string MeasuredBuildType => BuildTypes.Count > 0 ? BuildTypes[0] : CMakeFlagsScript.DefaultBuildTypes[0];
}

/// <summary>
/// Configures and builds the project with one flag set in its own build directory, and finds the
/// benchmark executables through CMake's file API (so target names are checked, not guessed).
/// </summary>
internal sealed class CMakeBuilder(CMakeSettings settings)
{
    public CMakeSettings Settings { get; } = settings;

    /// <summary>Limits that turn a hung configure or build (a custom command that never ends) into a failed build.</summary>
    internal TimeSpan ConfigureTimeout { get; init; } = TimeSpan.FromMinutes(10);
    internal TimeSpan BuildTimeout { get; init; } = TimeSpan.FromMinutes(30);

    public static string CMakeExecutable =>
        ExternalTool.FindOnPath("cmake") ?? throw new AutoPassException(DiagnosticCode.CMakeMissing,
            "CMake was not found on PATH.", "Install CMake 3.16 or later (for example 'apt-get install cmake') and make sure 'cmake' is on PATH.");

    /// <summary>Builds with one flag set, applied through a generated <see cref="CMakeFlagsScript"/> in the build tree.</summary>
    public async Task<BuildOutcome> BuildAsync(IReadOnlyList<string> flags, string buildDir, IReadOnlyList<string> targets, string headerComment, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(buildDir);
        string script = Path.Combine(buildDir, "autopass-flags.cmake");
        await File.WriteAllTextAsync(script, CMakeFlagsScript.Render(flags, headerComment, Settings.BuildTypes), cancellationToken);
        return await ConfigureAndBuildAsync(buildDir, script, targets, cancellationToken);
    }

    /// <summary>
    /// Builds a flag set in one persistent tree (hot-file tuning): the project-wide flags stay the same from one build to
    /// the next and only <paramref name="files"/> get flags of their own, read from a response file each
    /// (<see cref="HotFileResponseFiles"/>). The tree's script names only those files, so it is configured once; after
    /// that, a new flag set rewrites the response files, removes the object files whose flags changed, and builds: the
    /// build tool recompiles those files and relinks, and CMake is not run again. The executables it produced are then
    /// copied to <paramref name="outputDir"/>, so the next build cannot change what this one is measured as.
    /// </summary>
    public async Task<BuildOutcome> BuildInTreeAsync(IReadOnlyList<string> projectFlags, IReadOnlyList<FileFlags> files, string treeDir, string outputDir,
        IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(treeDir);
        var responses = new HotFileResponseFiles(treeDir, Settings.SourceDir, files);
        string script = Path.Combine(treeDir, "autopass-flags.cmake");
        string scriptText = CMakeFlagsScript.Render(projectFlags,
            $"AutoPass hot-file build tree: {string.Join(' ', projectFlags)} on the project; each hot file's flags are in its response file",
            Settings.BuildTypes, responses.Referenced);
        string stamp = Path.Combine(treeDir, ConfiguredScriptStampFile);
        bool configured = File.Exists(stamp) && await File.ReadAllTextAsync(stamp, cancellationToken) == ScriptStamp(scriptText);
        bool objectsRemoved = await responses.UpdateAsync(cancellationToken);
        BuildOutcome built;
        if (configured && objectsRemoved)
            built = await BuildConfiguredAsync(treeDir, "", targets, cancellationToken);
        else
        {
            // A changed file whose object file the tree does not name: only a clean build is sure to compile it anew.
            if (configured) await ExternalTool.RunAsync(CMakeExecutable, ["--build", treeDir, "--target", "clean"], timeout: BuildTimeout, cancellationToken: cancellationToken);
            await File.WriteAllTextAsync(script, scriptText, cancellationToken);
            built = await ConfigureAndBuildAsync(treeDir, script, targets, cancellationToken);
            if (built.Succeeded) await File.WriteAllTextAsync(stamp, ScriptStamp(scriptText), cancellationToken);
        }
        if (!built.Succeeded) return built;
        Directory.CreateDirectory(outputDir);
        var copies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (target, path) in built.Executables)
        {
            string copy = Path.Combine(outputDir, "bin", target, Path.GetFileName(path));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            // Copied to a temporary name and renamed: a copy that a crash cut short is never taken for a built program.
            string temp = copy + ".tmp";
            File.Copy(path, temp, overwrite: true);
            File.Move(temp, copy, overwrite: true);
            copies[target] = copy;
        }
        return built with { BuildDirectory = outputDir, Executables = copies };
    }

    /// <summary>Written after a hot-file tree is configured with a script: what it was configured for, so the next build with the same script skips CMake.</summary>
    internal const string ConfiguredScriptStampFile = "autopass-configured-script.txt";

    /// <summary>The script and the compiler request together: a tree configured for another compiler or other settings is configured again.</summary>
    private string ScriptStamp(string scriptText) => CompilerRequest() + "\n" + scriptText;

    /// <summary>
    /// Configures the project in <paramref name="buildDir"/> with <paramref name="projectInclude"/> as CMAKE_PROJECT_INCLUDE
    /// (empty: none, so a tree configured with flags before loses them) and builds <paramref name="targets"/> (none: all)
    /// in the measured build type. The project's own CMAKE_PROJECT_INCLUDE (from the arguments, the preset, or a cache
    /// AutoPass did not write) is kept: our script includes it. Candidates and the build after pinning both come through
    /// here, so they are built the same way.
    /// </summary>
    public async Task<BuildOutcome> ConfigureAndBuildAsync(string buildDir, string projectInclude, IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        string cmake = CMakeExecutable;
        Directory.CreateDirectory(buildDir);
        string compilerRequest = CompilerRequest();
        // Whatever this tree was configured with before, it is not a hot-file script now.
        File.Delete(Path.Combine(buildDir, ConfiguredScriptStampFile));
        // Read before a cache configured elsewhere is forgotten: its CMAKE_PROJECT_INCLUDE is the team's.
        string? userInclude = UserProjectInclude(buildDir, projectInclude);
        ForgetAnotherCompiler(buildDir, compilerRequest);
        await WriteFileApiQueriesAsync(buildDir, cancellationToken);

        var configureArgs = ConfigureArguments(buildDir, projectInclude, userInclude);

        var configure = await ExternalTool.RunAsync(cmake, configureArgs, timeout: ConfigureTimeout, cancellationToken: cancellationToken);
        string log = configure.CombinedOutput;
        string? cxxCompiler = ConfiguredCompiler(buildDir, "CXX");
        string? compiler = ConfiguredCompiler(buildDir, "C") ?? cxxCompiler; // a C++-only project's compiler is its C++ one
        if (!configure.Succeeded)
        {
            if (configure.TimedOut)
                return Failed(buildDir, compiler, log, BuildFailureKind.TimedOut, $"CMake configure did not finish within {Describe(ConfigureTimeout)}");
            var kind = log.Contains("No CMAKE_C_COMPILER could be found", StringComparison.Ordinal) ||
                       log.Contains("No CMAKE_CXX_COMPILER could be found", StringComparison.Ordinal) ||
                       log.Contains("is not a full path to an existing compiler tool", StringComparison.Ordinal)
                ? BuildFailureKind.CompilerMissing : BuildFailureKind.Configure;
            return Failed(buildDir, compiler, log, kind, "CMake configure failed");
        }
        await File.WriteAllTextAsync(Path.Combine(buildDir, CompilerStampFile), compilerRequest, cancellationToken);
        return await BuildConfiguredAsync(buildDir, log, targets, cancellationToken);
    }

    /// <summary>Builds <paramref name="targets"/> in a tree CMake has configured, in the measured build type; <paramref name="log"/>: the configure's output, if it just ran.</summary>
    private async Task<BuildOutcome> BuildConfiguredAsync(string buildDir, string log, IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        string cmake = CMakeExecutable;
        string? cxxCompiler = ConfiguredCompiler(buildDir, "CXX");
        string? compiler = ConfiguredCompiler(buildDir, "C") ?? cxxCompiler;
        var executables = ReadExecutables(buildDir, Settings.MeasuredBuildType, out var allTargets, out var configurations);
        if (!configurations.Contains(Settings.MeasuredBuildType, StringComparer.OrdinalIgnoreCase))
            return Failed(buildDir, compiler, log, BuildFailureKind.Configure,
                $"The project is configured for {string.Join(", ", configurations.Select(c => c.Length == 0 ? "(no build type)" : c))}, not for the build type {Settings.MeasuredBuildType} " +
                "that is measured (the first of AutoPassBuildTypes); list one it has first in AutoPassBuildTypes, or add it to CMAKE_CONFIGURATION_TYPES through AutoPassCMakeArgs");
        foreach (var target in targets)
        {
            if (!allTargets.Contains(target))
                return Failed(buildDir, compiler, log, BuildFailureKind.TargetMissing,
                    $"The project has no target '{target}' (targets: {string.Join(", ", allTargets.Order())})");
            if (!executables.ContainsKey(target))
                return Failed(buildDir, compiler, log, BuildFailureKind.TargetNotExecutable,
                    $"The target '{target}' does not produce an executable");
        }

        // --config picks the configuration of a multi-config generator (Ninja Multi-Config, Visual Studio); others ignore it.
        var buildArgs = new List<string> { "--build", buildDir, "--config", Settings.MeasuredBuildType, "--parallel", Math.Max(1, Environment.ProcessorCount).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (targets.Count > 0) { buildArgs.Add("--target"); buildArgs.AddRange(targets); }
        var build = await ExternalTool.RunAsync(cmake, buildArgs, timeout: BuildTimeout, cancellationToken: cancellationToken);
        log += build.CombinedOutput;
        if (build.TimedOut)
            return Failed(buildDir, compiler, log, BuildFailureKind.TimedOut, $"the build did not finish within {Describe(BuildTimeout)}");
        if (!build.Succeeded)
            return Failed(buildDir, compiler, log, BuildFailureKind.Compile, "the build failed");

        var wanted = targets.ToDictionary(t => t, t => executables[t]);
        foreach (var (target, path) in wanted)
            if (!File.Exists(path))
                return Failed(buildDir, compiler, log, BuildFailureKind.TargetNotExecutable, $"'{target}' built, but '{path}' does not exist");
        return new BuildOutcome(true, buildDir, wanted, compiler, log, CxxCompilerPath: cxxCompiler);
    }

    /// <summary>The arguments of CMake's configure step for <paramref name="buildDir"/>, as every build here configures.</summary>
    private List<string> ConfigureArguments(string buildDir, string projectInclude, string? userInclude)
    {
        string? include = projectInclude.Length > 0 ? projectInclude : userInclude;
        var configureArgs = new List<string> { "-S", Settings.SourceDir, "-B", buildDir };
        if (Settings.Preset is { Length: > 0 } preset) configureArgs.AddRange(["--preset", preset]);
        configureArgs.AddRange(WithoutProjectInclude(Settings.ExtraArgs));
        configureArgs.AddRange(
        [
            // A multi-config generator has no use for CMAKE_BUILD_TYPE: no warning about it.
            "--no-warn-unused-cli",
            "-DCMAKE_BUILD_TYPE=" + Settings.MeasuredBuildType,
            // None: unset, not set to empty (with a toolchain file, CMake's project() fails on an empty one, "is a directory").
            include is not null ? "-DCMAKE_PROJECT_INCLUDE=" + include : "-UCMAKE_PROJECT_INCLUDE",
            $"-D{CMakeFlagsScript.UserIncludeVariable}=" + (projectInclude.Length > 0 ? userInclude ?? "" : ""),
            $"-D{CMakeFlagsScript.DisableVariable}=" + (Settings.FlagsDisabled ? "ON" : "OFF"),
            "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
        ]);
        if (Settings.Generator is { Length: > 0 } g && !File.Exists(Path.Combine(buildDir, "CMakeCache.txt")))
            configureArgs.AddRange(["-G", g]);
        if (Settings.CCompiler is { Length: > 0 } cc) configureArgs.Add("-DCMAKE_C_COMPILER=" + cc);
        if (Settings.CxxCompiler is { Length: > 0 } cxx) configureArgs.Add("-DCMAKE_CXX_COMPILER=" + cxx);
        return configureArgs;
    }

    /// <summary>
    /// The C compiler (for a C++-only project, the C++ one) CMake chose for <paramref name="buildDir"/>, when that tree was
    /// configured for this same request (<see cref="CompilerRequest"/>: the settings, CC/CXX, PATH, preset, arguments),
    /// so it is what a build there uses, a toolchain file's or a preset's choice included; else null.
    /// </summary>
    public string? CompilerOfTree(string buildDir)
    {
        string stamp = Path.Combine(buildDir, CompilerStampFile);
        if (!File.Exists(stamp) || File.ReadAllText(stamp) != CompilerRequest()) return null;
        return ProjectCompiler(buildDir);
    }

    /// <summary>
    /// Configures the project in <paramref name="scratchDir"/> only to learn which compiler CMake chooses with these
    /// settings (as <see cref="CompilerOfTree"/>), then deletes it; null when the configure fails.
    /// </summary>
    public async Task<string?> ChosenCompilerAsync(string scratchDir, CancellationToken cancellationToken)
    {
        try
        {
            await WriteFileApiQueriesAsync(scratchDir, cancellationToken);
            var configure = await ExternalTool.RunAsync(CMakeExecutable, ConfigureArguments(scratchDir, "", UserProjectInclude(scratchDir, "")),
                timeout: ConfigureTimeout, cancellationToken: cancellationToken);
            return configure.Succeeded ? ProjectCompiler(scratchDir) : null;
        }
        finally
        {
            try { if (Directory.Exists(scratchDir)) Directory.Delete(scratchDir, recursive: true); }
            catch (IOException) { } // a scratch tree left behind costs disk, not correctness
        }
    }

    /// <summary>The file in a build tree that records which compilers it was configured for (<see cref="CompilerRequest"/>).</summary>
    public const string CompilerStampFile = "autopass-compilers.txt";

    /// <summary>
    /// The compilers this build asks for: the explicit settings, else CC/CXX, else CMake's default (cc/c++), each with
    /// the file it resolves to on PATH, so a changed CC, PATH or cc alternative all count as another compiler; and the
    /// preset and configure arguments, since a toolchain file or a preset can choose the compiler too.
    /// </summary>
    private string CompilerRequest()
    {
        static string Describe(string language, string? asked, string fallback)
        {
            string name = asked is { Length: > 0 } ? asked : fallback;
            string? found = ExternalTool.FindOnPath(name);
            string resolved = found is null ? "" : new FileInfo(found).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? found;
            return $"{language}={asked ?? ""} -> {resolved}\n";
        }
        return Describe("C", Settings.CCompiler is { Length: > 0 } c ? c : Environment.GetEnvironmentVariable("CC"), "cc")
            + Describe("CXX", Settings.CxxCompiler is { Length: > 0 } cxx ? cxx : Environment.GetEnvironmentVariable("CXX"), "c++")
            + $"preset={Settings.Preset ?? ""}\nargs={string.Join('\u001f', Settings.ExtraArgs)}\n";
    }

    /// <summary>
    /// CMake keeps the compiler of an existing cache whatever CC says, so a tree configured for other compilers (or before
    /// AutoPass recorded them) loses its cache and objects (CMakeCache.txt, CMakeFiles/) and is configured from scratch:
    /// a candidate built by one compiler is never measured against a baseline built by another.
    /// </summary>
    private static void ForgetAnotherCompiler(string buildDir, string compilerRequest)
    {
        string cache = Path.Combine(buildDir, "CMakeCache.txt");
        if (!File.Exists(cache)) return;
        string stamp = Path.Combine(buildDir, CompilerStampFile);
        if (File.Exists(stamp) && File.ReadAllText(stamp) == compilerRequest) return;
        File.Delete(cache);
        File.Delete(stamp);
        string cmakeFiles = Path.Combine(buildDir, "CMakeFiles");
        if (Directory.Exists(cmakeFiles)) Directory.Delete(cmakeFiles, recursive: true);
    }

    private static string Describe(TimeSpan limit) => limit.TotalMinutes >= 1 ? $"{limit.TotalMinutes:0.#} min" : $"{limit.TotalSeconds:0.#} s";

    private static BuildOutcome Failed(string buildDir, string? compiler, string log, BuildFailureKind kind, string message) =>
        new(false, buildDir, new Dictionary<string, string>(), compiler, log, new BuildFailure(kind, message));

    /// <summary>Asks CMake's file API for the code model (targets, executables) and the toolchains (compilers) of the next configure.</summary>
    private static async Task WriteFileApiQueriesAsync(string buildDir, CancellationToken cancellationToken)
    {
        string queries = Path.Combine(buildDir, ".cmake", "api", "v1", "query");
        Directory.CreateDirectory(queries);
        foreach (var kind in new[] { "codemodel-v2", "toolchains-v1" })
            await File.WriteAllTextAsync(Path.Combine(queries, kind), "", cancellationToken);
    }

    /// <summary>The C compiler CMake configured <paramref name="buildDir"/> with; for a C++-only project, the C++ one.</summary>
    private static string? ProjectCompiler(string buildDir) => ConfiguredCompiler(buildDir, "C") ?? ConfiguredCompiler(buildDir, "CXX");

    /// <summary>
    /// The compiler of a language ("C", "CXX") CMake configured <paramref name="buildDir"/> with: from the cache, where
    /// CMake keeps one it found or was given; else from the file API's toolchains, since a toolchain file's compiler is
    /// a plain variable that never reaches the cache.
    /// </summary>
    private static string? ConfiguredCompiler(string buildDir, string language)
    {
        if (ReadCacheValue(buildDir, $"CMAKE_{language}_COMPILER") is { } cached) return cached;
        if (FileApiReply.Latest(buildDir, "toolchains-v1") is not { } toolchains) return null;
        using var model = JsonDocument.Parse(File.ReadAllText(toolchains));
        foreach (var toolchain in model.RootElement.GetProperty("toolchains").EnumerateArray())
            if (toolchain.GetProperty("language").GetString() == language
                && toolchain.TryGetProperty("compiler", out var compiler) && compiler.TryGetProperty("path", out var path))
                return path.GetString();
        return null;
    }

    private static string? ReadCacheValue(string buildDir, string name)
    {
        string cache = Path.Combine(buildDir, "CMakeCache.txt");
        if (!File.Exists(cache)) return null;
        foreach (var line in File.ReadLines(cache))
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
            {
                string value = line[(line.IndexOf('=') + 1)..].Trim();
                return value.Length == 0 ? null : value;
            }
        return null;
    }

    /// <summary>
    /// Reads the file API's code model: every target's name, the configurations the tree has (one for a single-config
    /// generator, its CMAKE_BUILD_TYPE), and where executables land in <paramref name="buildType"/>.
    /// </summary>
    private static Dictionary<string, string> ReadExecutables(string buildDir, string buildType, out HashSet<string> allTargets, out List<string> configurations)
    {
        allTargets = [];
        configurations = [];
        var executables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (FileApiReply.Latest(buildDir, "codemodel-v2") is not { } codemodel) return executables;
        string reply = Path.GetDirectoryName(codemodel)!;
        using var model = JsonDocument.Parse(File.ReadAllText(codemodel));
        string buildRoot = model.RootElement.GetProperty("paths").GetProperty("build").GetString()!;
        foreach (var configuration in model.RootElement.GetProperty("configurations").EnumerateArray())
        {
            string configurationName = configuration.GetProperty("name").GetString()!;
            configurations.Add(configurationName);
            bool measured = string.Equals(configurationName, buildType, StringComparison.OrdinalIgnoreCase);
            foreach (var target in configuration.GetProperty("targets").EnumerateArray())
            {
                string name = target.GetProperty("name").GetString()!;
                allTargets.Add(name);
                if (!measured) continue;
                using var detail = JsonDocument.Parse(File.ReadAllText(Path.Combine(reply, target.GetProperty("jsonFile").GetString()!)));
                if (detail.RootElement.GetProperty("type").GetString() != "EXECUTABLE") continue;
                if (!detail.RootElement.TryGetProperty("artifacts", out var artifacts)) continue;
                foreach (var artifact in artifacts.EnumerateArray())
                {
                    string path = artifact.GetProperty("path").GetString()!;
                    if (path.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)) continue;
                    executables[name] = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(buildRoot, path));
                    break;
                }
            }
        }
        return executables;
    }

    private const string ProjectIncludeVariable = "CMAKE_PROJECT_INCLUDE";

    /// <summary>
    /// The project's own CMAKE_PROJECT_INCLUDE, which AutoPass's script includes instead of replacing: from the configure
    /// arguments, else the preset, else the cache of a build tree the team configured (AutoPass's own trees are configured
    /// from the arguments and the preset alone, so a removed include does not linger). Relative paths are taken from the
    /// source directory.
    /// </summary>
    private string? UserProjectInclude(string buildDir, string projectInclude)
    {
        string? value = ProjectIncludeInArguments(Settings.ExtraArgs);
        if (value is null && Settings.Preset is { Length: > 0 } preset)
            value = CMakePresets.CacheVariables(Settings.SourceDir, preset)?.GetValueOrDefault(ProjectIncludeVariable);
        bool configuredByAutoPass = File.Exists(Path.Combine(buildDir, CompilerStampFile));
        if (value is null && !configuredByAutoPass)
        {
            value = ReadCacheValue(buildDir, CMakeFlagsScript.UserIncludeVariable);
            if (value is null && ReadCacheValue(buildDir, ProjectIncludeVariable) is { } cached && !IsAutoPassScript(cached, projectInclude))
                value = cached;
        }
        if (string.IsNullOrWhiteSpace(value)) return null;
        return Path.GetFullPath(Path.Combine(Settings.SourceDir, value));
    }

    private static bool IsAutoPassScript(string path, string projectInclude) =>
        path == projectInclude || Path.GetFileName(path) is "autopass-flags.cmake" or "autopass.cmake";

    /// <summary>The value of -DCMAKE_PROJECT_INCLUDE[:TYPE]=... (or -D CMAKE_PROJECT_INCLUDE=...) in configure arguments; the last wins, as in CMake.</summary>
    internal static string? ProjectIncludeInArguments(IReadOnlyList<string> arguments)
    {
        string? value = null;
        for (int i = 0; i < arguments.Count; i++)
        {
            string definition = arguments[i] == "-D" && i + 1 < arguments.Count ? arguments[++i] : arguments[i].StartsWith("-D", StringComparison.Ordinal) ? arguments[i][2..] : "";
            if (DefinedName(definition) == ProjectIncludeVariable) value = definition[(definition.IndexOf('=') + 1)..];
        }
        return value;
    }

    private static IEnumerable<string> WithoutProjectInclude(IReadOnlyList<string> arguments)
    {
        for (int i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == "-D" && i + 1 < arguments.Count && DefinedName(arguments[i + 1]) == ProjectIncludeVariable) { i++; continue; }
            if (arguments[i].StartsWith("-D", StringComparison.Ordinal) && DefinedName(arguments[i][2..]) == ProjectIncludeVariable) continue;
            yield return arguments[i];
        }
    }

    /// <summary>NAME of NAME=value or NAME:TYPE=value; null when it is not a definition.</summary>
    private static string? DefinedName(string definition)
    {
        int equals = definition.IndexOf('=');
        if (equals <= 0) return null;
        string name = definition[..equals];
        int colon = name.IndexOf(':');
        return colon >= 0 ? name[..colon] : name;
    }
}
