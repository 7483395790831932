namespace AutoPass.Bench;

/// <summary>
/// One open-source project of the real-project rows, at the commit the bench pins. Its source is never in this
/// repository: the user clones <see cref="Repository"/> at <see cref="Commit"/> into a folder named <see cref="Name"/>.
/// </summary>
/// <param name="CMakeDir">Where the project's own CMakeLists.txt sits, relative to the clone.</param>
/// <param name="CMakeArgs">Configure arguments: static libraries, so the timed executable holds the code it was built with.</param>
/// <param name="Arguments">The benchmark's arguments, given the generated input's absolute path.</param>
/// <param name="Benchmark">What the command does, for the table and the README.</param>
/// <param name="InputMiB">How much of the generated input the benchmark reads: a run of about a quarter second on the bench's
/// machine, as a user sizes a benchmark for tuning (every candidate is timed in many runs).</param>
/// <param name="Folder">The clone's folder under the clones directory: two rows may time two commands of one clone.</param>
/// <param name="Derive">Makes the file the benchmark reads from the generated input (a compressed copy, a script beside it), returning its path; null: the input itself.</param>
/// <param name="InputName">How the command line shows the file the benchmark reads.</param>
/// <param name="OwnCMakeLists">For a project without a CMake build: a CMakeLists.txt that mirrors its own build, written into the clone.</param>
internal sealed record RealProject(string Name, string Repository, string Commit, string CMakeDir, string Target, IReadOnlyList<string> CMakeArgs,
    Func<string, IReadOnlyList<string>> Arguments, string Benchmark, int InputMiB = 24, string? Folder = null,
    Func<string, string>? Derive = null, string? OwnCMakeLists = null, string InputName = "input.bin")
{
    public string CloneFolder => Folder ?? Name;

    /// <summary>The generated input written (a prefix of it) and derived into what the benchmark reads; returns that file's path.</summary>
    public string PrepareInput(string work)
    {
        string input = InputPath(work);
        RealInput.Ensure(input, InputMiB << 20);
        return Derive is null ? input : Derive(input);
    }

    /// <summary>The input's file in <paramref name="work"/>: input.bin for the full input, else named by its size.</summary>
    public string InputPath(string work) =>
        Path.GetFullPath(Path.Combine(work, "real", InputMiB * (1 << 20) == RealInput.DefaultBytes ? "input.bin" : $"input-{InputMiB}MiB.bin"));

    public string SourceDir(string clones) => Path.GetFullPath(Path.Combine(clones, CloneFolder, CMakeDir));

    /// <summary>The command line as a user of the project types it, the input's name for its path and a repeated argument counted.</summary>
    public string CommandLine
    {
        get
        {
            var words = new List<string> { Target };
            foreach (var group in Collapse(Arguments(InputName)))
                words.Add(group.Count == 1 ? group.Word : $"{group.Word} (x{group.Count})");
            return string.Join(' ', words);
        }
    }

    private static IEnumerable<(string Word, int Count)> Collapse(IReadOnlyList<string> words)
    {
        for (int i = 0; i < words.Count;)
        {
            int run = 1;
            while (i + run < words.Count && words[i + run] == words[i]) run++;
            yield return (words[i], run);
            i += run;
        }
    }
}

internal static class RealProjects
{
    public static readonly RealProject[] All =
    [
        new("lz4", "lz4/lz4", "d9c01a3d49114dc28e2dfbbc0a8990e88be7b694", "build/cmake", "lz4cli", [],
            input => ["-c", "-9", input], "the lz4 command line, high compression (-9) of the input's first 8 MiB to stdout", InputMiB: 8),
        new("xxhash", "Cyan4973/xxHash", "b2e9dbb05fb7f45ad662e67969e92c48b9b32247", "cmake_unofficial", "xxhsum", ["-DBUILD_SHARED_LIBS=OFF"],
            input => ["-H0", .. Enumerable.Repeat(input, 64)], "xxhsum's XXH32 checksum of the input, named 64 times (a line each)"),
        new("libdeflate", "ebiggers/libdeflate", "28e88e9c6f6c197594753e7c9139e8a70c1a7b89", ".", "libdeflate-gzip", ["-DLIBDEFLATE_BUILD_SHARED_LIB=OFF"],
            input => ["-c", "-6", input], "libdeflate-gzip at its default level 6, the input's first 16 MiB to stdout", InputMiB: 16),
        new("brotli", "google/brotli", "8e10eeb3378f6c459dbaf033ca6727e9816afccb", ".", "brotli", ["-DBUILD_SHARED_LIBS=OFF"],
            input => ["-c", "-q", "3", input], "the brotli command line, quality 3, the input to stdout"),
        new("brotli-d", "google/brotli", "8e10eeb3378f6c459dbaf033ca6727e9816afccb", ".", "brotli", ["-DBUILD_SHARED_LIBS=OFF"],
            input => ["-d", "-c", input], "the brotli command line decompressing a brotli stream of the input (quality 9, made by .NET's encoder) to stdout",
            Folder: "brotli", Derive: BrotliStreams.Compressed, InputName: "input.bin.br"),
        new("lua", "lua/lua", "53b41d0cddd80bf33fdc631bdd32e3ba53842b89", ".", "lua", [],
            input => [LuaWordFrequency.ScriptBeside(input), input, "20"], "the lua interpreter running a word-frequency script (string matching, tables, sorting) over the input's first 8 MiB",
            InputMiB: 8, Derive: LuaWordFrequency.WriteBeside, OwnCMakeLists: LuaWordFrequency.CMakeLists),
        // C++, held out: not in the rows the search rules were shaped on (it joined after search rules 3).
        new("re2c", "skvadrik/re2c", "f1a46ca73a0855ea750d4f36c15747a99ae542f9", ".", "re2c",
            ["-DRE2C_BUILD_TESTS=OFF", .. Re2cKeywordLexer.OtherLanguages.Select(l => $"-DRE2C_BUILD_RE2{l}=OFF")],
            Re2cKeywordLexer.Arguments, $"re2c generating a C lexer for {Re2cKeywordLexer.Keywords} case-insensitive keywords (the input's first distinct words) to stdout",
            InputMiB: 1, Derive: Re2cKeywordLexer.WriteBeside, InputName: Re2cKeywordLexer.SpecName),
    ];

    /// <summary>The rows run unless --real-names picks others: brotli compressing spends half its four-times-longer build in its hot file.</summary>
    public static readonly string[] Default = ["lz4", "xxhash", "libdeflate", "brotli-d", "lua"];

    public static RealProject Named(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"no real project named '{name}'; the bench pins {string.Join(", ", All.Select(p => p.Name))}");

    /// <summary>Checks that the clone of <paramref name="project"/> under <paramref name="clones"/> is at the pinned commit.</summary>
    public static void CheckClone(string clones, RealProject project)
    {
        string clone = Path.Combine(clones, project.CloneFolder);
        string fix = $"clone https://github.com/{project.Repository} into {clone} and check out {project.Commit} (git -C {clone} checkout {project.Commit})";
        if (!Directory.Exists(clone))
            throw new RealCloneException($"{project.Name}: {clone} does not exist; {fix}.");
        System.Diagnostics.Process git;
        try
        {
            git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["-C", clone, "rev-parse", "HEAD"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RealCloneException($"git could not be started ({e.Message}); install git, which checks each clone's commit.");
        }
        string head = git.StandardOutput.ReadToEnd().Trim();
        string error = git.StandardError.ReadToEnd().Trim();
        git.WaitForExit();
        if (git.ExitCode != 0)
            throw new RealCloneException($"{project.Name}: {clone} is not a git clone ({error}); {fix}.");
        if (head != project.Commit)
            throw new RealCloneException($"{project.Name}: {clone} is at {head}, not at the pinned commit {project.Commit}; {fix}.");
        string cmakeLists = Path.Combine(project.SourceDir(clones), "CMakeLists.txt");
        // A project with no CMake build gets the one that mirrors its own; the clone's tracked files stay as they are.
        if (project.OwnCMakeLists is { } own && (!File.Exists(cmakeLists) || File.ReadAllText(cmakeLists) != own))
            File.WriteAllText(cmakeLists, own);
        if (!File.Exists(cmakeLists))
            throw new RealCloneException($"{project.Name}: no CMakeLists.txt in {project.SourceDir(clones)}; restore the clone's files (git -C {clone} checkout -- .).");
    }
}

/// <summary>A clone missing or at another commit than the pinned one: the message says which and how to fix it.</summary>
internal sealed class RealCloneException(string message) : Exception(message);
