namespace AutoPass.Core.Measurement;

/// <summary>
/// Runs both arms of every pair through paths of equal length: symbolic links in a scratch directory,
/// <c>a000/name</c> and <c>b000/name</c>. A program's path is copied onto its initial stack (argv[0] and
/// AT_EXECFN), so two paths of different lengths shift the stack by a constant, and a comparison of identical
/// binaries comes out several percent "faster" or "slower" on layout-sensitive code (Mytkowicz et al.,
/// "Producing wrong data without doing anything obviously wrong!", ASPLOS 2009). Where links cannot be made,
/// the real paths are used.
/// </summary>
internal sealed class EqualLengthRunPaths : IDisposable
{
    private readonly string? _directory;

    /// <summary>Per pair, in order: the paths to run the baseline and the candidate through.</summary>
    public IReadOnlyList<(string Baseline, string Candidate)> Paths { get; }

    private EqualLengthRunPaths(string? directory, IReadOnlyList<(string, string)> paths)
    {
        _directory = directory;
        Paths = paths;
    }

    /// <summary>
    /// One path per executable, all of equal length (<c>s0000/name</c>, <c>s0001/name</c>, ...), for a race of many
    /// candidates against one baseline; the real paths where links cannot be made.
    /// </summary>
    public static (EqualLengthRunPaths Scope, IReadOnlyList<string> Paths) LinkAll(IReadOnlyList<string> executables)
    {
        string directory = Directory.CreateTempSubdirectory("autopass-race-").FullName;
        try
        {
            var links = executables.Select((e, i) => Link(directory, $"s{i:D4}", e)).ToList();
            return (new EqualLengthRunPaths(directory, []), links);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            TryDelete(directory);
            return (new EqualLengthRunPaths(null, []), executables);
        }
    }

    public static EqualLengthRunPaths Create(IReadOnlyList<ExecutablePair> pairs)
    {
        var real = pairs.Select(p => (p.BaselineExecutable, p.CandidateExecutable)).ToList();
        string directory = Directory.CreateTempSubdirectory("autopass-run-").FullName;
        try
        {
            var linked = new List<(string, string)>();
            for (int i = 0; i < pairs.Count; i++)
                linked.Add((Link(directory, $"a{i:D3}", pairs[i].BaselineExecutable), Link(directory, $"b{i:D3}", pairs[i].CandidateExecutable)));
            return new EqualLengthRunPaths(directory, linked);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            TryDelete(directory);
            return new EqualLengthRunPaths(null, real);
        }
    }

    private static string Link(string directory, string slot, string executable)
    {
        string link = Path.Combine(Directory.CreateDirectory(Path.Combine(directory, slot)).FullName, Path.GetFileName(executable));
        File.CreateSymbolicLink(link, Path.GetFullPath(executable));
        return link;
    }

    public void Dispose()
    {
        if (_directory is not null) TryDelete(_directory);
    }

    private static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { } // best effort; the system cleans its temp directory
    }
}
