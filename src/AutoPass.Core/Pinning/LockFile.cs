using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoPass.Core.Pinning;

/// <summary>
/// autopass.lock.json: what was tuned, on which compiler and machine, against which baseline, and the
/// confirmed speedup with its interval. Deterministic: no timestamps, stable order, so it diffs cleanly.
/// </summary>
internal sealed record LockFile
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>
    /// Which write of the pinned files this is: a hash of the rest of this file, also written into autopass.props and
    /// autopass.cmake, so verify can tell a set that was written together from a mixed one. Absent in older lock files.
    /// </summary>
    public string? PinnedSet { get; init; }
    public required LockTool Tool { get; init; }
    public required LockCompiler Compiler { get; init; }
    public required LockMachine Machine { get; init; }

    /// <summary>
    /// The machine class this set is for (a campaign pins one set per class); absent: the folder's only set, as a
    /// single-machine session pins it.
    /// </summary>
    public LockMachineClass? MachineClass { get; init; }

    /// <summary>
    /// In the top-level lock of a folder pinned per machine class: the other classes pinned, each in
    /// classes/&lt;name&gt;/, in the order they were pinned. This set's class is the default. Absent: no other class.
    /// </summary>
    public IReadOnlyList<string>? OtherMachineClasses { get; init; }
    public required LockBaseline Baseline { get; init; }

    /// <summary>The winning flags added to the baseline flags; empty when the baseline was kept.</summary>
    public required IReadOnlyList<string> Flags { get; init; }

    /// <summary>
    /// "hot" when <see cref="Flags"/> apply to the source files in <see cref="Files"/> only, the rest of the project keeping the
    /// baseline flags (AutoPassTuneScope=hot); absent when they apply to the whole project.
    /// </summary>
    public string? Scope { get; init; }

    /// <summary>
    /// The build types (CMake) and configurations (MSBuild) the pinned files apply the flags to: AutoPassBuildTypes of the
    /// session. Absent in older lock files, which were written for AutoPassBuildTypes' default.
    /// </summary>
    public IReadOnlyList<string>? BuildTypes { get; init; }

    /// <summary>The build types the pinned files are rendered for: <see cref="BuildTypes"/>, or the default of older lock files.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> PinnedBuildTypes => BuildTypes is { Count: > 0 } types ? types : AutoPass.Core.Build.CMakeFlagsScript.DefaultBuildTypes;

    /// <summary>The source files that get flags of their own, with a hash of the content they were tuned on; absent: none.</summary>
    public IReadOnlyList<LockSourceFile>? Files { get; init; }

    /// <summary>
    /// The flags for the whole project: the baseline's, and the pinned ones unless they go to <see cref="Files"/>; with
    /// files, link-time optimization still goes to the whole project (it optimizes the whole link).
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> ProjectFlags => Files is { Count: > 0 } ? [.. Baseline.Flags, .. Flags.Where(Build.LinkTimeFlags.Is)] : [.. Baseline.Flags, .. Flags];

    /// <summary>
    /// What each pinned flag is worth: the pinned set's speedup over the set without that flag, measured
    /// head to head while minimizing. Absent when the winner had a single flag.
    /// </summary>
    public IReadOnlyList<LockAttribution>? Attribution { get; init; }

    /// <summary>"improved" when flags were confirmed faster; "baseline" when nothing beat the baseline with confidence.</summary>
    public required string Outcome { get; init; }

    /// <summary>Why the outcome is what it is, in a sentence.</summary>
    public required string Reason { get; init; }

    public required LockPolicy Policy { get; init; }

    /// <summary>What the speedups measure: "time", or "instructions (a proxy for time)".</summary>
    public string Objective { get; init; } = "time";

    /// <summary>The confirmed speedup over all benchmarks (geometric mean), from the fresh confirmation run.</summary>
    public LockSpeedup? Speedup { get; init; }

    public required IReadOnlyList<LockBenchmark> Benchmarks { get; init; }

    public required int Trials { get; init; }

    /// <summary>Which agent stages proposed the candidates: "builtin", or "/// <summary>Which agent stages proposed the candidates: "builtin" or "ollama:&lt;model&gt;".</summary>lt;provider/// <summary>Which agent stages proposed the candidates: "builtin" or "ollama:&lt;model&gt;".</summary>gt;:/// <summary>Which agent stages proposed the candidates: "builtin" or "ollama:&lt;model&gt;".</summary>lt;model/// <summary>Which agent stages proposed the candidates: "builtin" or "ollama:&lt;model&gt;".</summary>gt;" ("ollama:...", "openai:...").</summary>
    public string? Agents { get; init; }

    /// <summary>What the search spent to find this.</summary>
    public LockSearch? Search { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        // A hand-edited "flags": null fails here, not as a crash later.
        RespectNullableAnnotations = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    public static LockFile Parse(string json)
    {
        var lockFile = JsonSerializer.Deserialize<LockFile>(json, JsonOptions) ?? throw new JsonException("The lock file is empty.");
        // What verify relies on and a hand edit can drop (a missing record member reads as null): refused here, not a crash later.
        if (lockFile.Compiler.Id is null || lockFile.Compiler.VersionRange is null || lockFile.Baseline.Flags is null
            || lockFile.Baseline.Flags.Concat(lockFile.Flags).Any(flag => flag is null)
            || lockFile.Files?.Any(f => f is null || f.Path is null || f.Flags is null || f.Sha256 is null || f.Flags.Any(flag => flag is null)) == true
            || lockFile.BuildTypes?.Any(type => type is null) == true)
            throw new JsonException("The lock file lacks the compiler id, the compiler version range or the baseline flags, or holds a null flag, build type or an incomplete file entry.");
        // Both go into the pinned files' code (CMake and MSBuild conditions): only what a session can write is read.
        if (lockFile.Compiler.Id is not ("gcc" or "clang"))
            throw new JsonException($"The lock file names the compiler '{lockFile.Compiler.Id}'; AutoPass tunes for gcc or clang.");
        if (lockFile.BuildTypes?.Any(type => type.Length == 0 || !type.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) == true)
            throw new JsonException("The lock file's build types must be names of letters, digits and '_'.");
        // Class names become folder names and go into the pinned files' code too.
        if (lockFile.MachineClass is { } machineClass && (machineClass.Name is null || machineClass.Description is null || !PinnedMachineClasses.IsValidName(machineClass.Name)))
            throw new JsonException($"The lock file's machine class must have a name of {PinnedMachineClasses.NameRule} and a description.");
        if (lockFile.OtherMachineClasses is { } others
            && (lockFile.MachineClass is null || others.Any(name => name is null || !PinnedMachineClasses.IsValidName(name) || name == lockFile.MachineClass.Name) || others.Distinct().Count() != others.Count))
            throw new JsonException($"The lock file's other machine classes must be distinct names of {PinnedMachineClasses.NameRule}, other than its own machine class, which it must have.");
        return lockFile;
    }
}

internal sealed record LockTool(string Name, string Version);

/// <summary>A source file with flags of its own (after the project's), and what it held when they were tuned.</summary>
/// <param name="Path">Relative to the CMake source directory, '/'-separated.</param>
/// <param name="Sha256">SHA-256 of the file's bytes when it was tuned (lower-case hex).</param>
/// <param name="Share">Its share of the project's profiled instructions at the baseline.</param>
/// <param name="CodeSha256">SHA-256 of its code without comments and with whitespace runs as one space (<see cref="CodeHashOf"/>):
/// a change to comments or layout alone leaves it, and the flags, as they were.</param>
internal sealed record LockSourceFile(string Path, IReadOnlyList<string> Flags, string Sha256, double? Share = null, string? CodeSha256 = null)
{
    public static string HashOf(string file) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));

    public static string CodeHashOf(string file) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(CodeOf(File.ReadAllText(file)))));

    /// <summary>C or C++ source without its comments, each run of whitespace one space; string and character literals kept as they are.</summary>
    internal static string CodeOf(string source)
    {
        var code = new System.Text.StringBuilder(source.Length);
        bool space = false;
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            if (c == '/' && i + 1 < source.Length && source[i + 1] == '/')
            {
                while (i < source.Length && source[i] != '\n') i++;
                space = true;
                continue;
            }
            if (c == '/' && i + 1 < source.Length && source[i + 1] == '*')
            {
                int end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? source.Length : end + 1;
                space = true;
                continue;
            }
            if (char.IsWhiteSpace(c)) { space = true; continue; }
            if (space && code.Length > 0) code.Append(' ');
            space = false;
            if (c is '"' or '\'')
            {
                // A literal as it is, escapes included: "//" inside a string is no comment.
                int start = i++;
                while (i < source.Length && source[i] != c && source[i] != '\n') i += source[i] == '\\' ? 2 : 1;
                code.Append(source, start, Math.Min(i, source.Length - 1) - start + 1);
                continue;
            }
            code.Append(c);
        }
        return code.ToString();
    }
}

/// <param name="VersionRange">NuGet.Versioning range syntax: the compiler versions these flags are pinned for.</param>
internal sealed record LockCompiler(string Id, string Version, string VersionRange, string? Path = null);

internal sealed record LockMachine(string Cpu, int LogicalCores, string Os, string Architecture);

/// <summary>A machine class: the name a build chooses its set by (AUTOPASS_MACHINE_CLASS, AutoPassMachineClass), and what machines it stands for.</summary>
/// <param name="Name">Lower-case letters, digits, '.', '_' and '-' (<see cref="PinnedMachineClasses.IsValidName"/>).</param>
/// <param name="Description">The machines in a line: CPU model, cores, compiler.</param>
internal sealed record LockMachineClass(string Name, string Description);

internal sealed record LockBaseline(IReadOnlyList<string> Flags);

internal sealed record LockPolicy(bool AllowUnsafeMath, bool AllowMachineSpecific);

/// <param name="Regimes">When the effect moved during the confirmation and stayed unstable: its regimes in time order, the claimed (conservative) one marked; the estimate above is that regime's. Absent in older locks and when the effect held still.</param>
/// <param name="RegimeNote">What the machine did between the regimes, in a sentence.</param>
internal sealed record LockSpeedup(double Estimate, double Low, double High, double Confidence, int Pairs, IReadOnlyList<LockRegime>? Regimes = null, string? RegimeNote = null);

/// <summary>One regime of a confirmation (pairs 1-based, inclusive): its speedup and interval, and each arm's median times there.</summary>
internal sealed record LockRegime(int FirstPair, int LastPair, double Estimate, double Low, double High, double BaselineMedianSeconds,
    double? BaselineMedianCpuSeconds, double CandidateMedianSeconds, double? CandidateMedianCpuSeconds, bool Claimed);

internal sealed record LockAttribution(string Flag, double Speedup, double Low, double High);

internal sealed record LockBenchmark(string Name, IReadOnlyList<string> Arguments, LockSpeedup? Speedup);

/// <summary>What the search spent: candidates timed, races, median pairs per candidate, builds and their seconds, search wall time.</summary>
internal sealed record LockSearch(int MeasuredCandidates, int Races, double MedianPairs, int Builds, double BuildSeconds, double SearchSeconds);
