using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement;
using AutoPass.Core.Processes;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Check;

/// <summary>
/// Whether a candidate computed the same thing as the baseline: its stdout and declared output files equal
/// the baseline's, or, when the benchmark names one, its own verify command passes. Null means it did.
/// </summary>
internal static class OutputCheck
{
    /// <summary>An output file larger than this is refused rather than hashed: no check needs more.</summary>
    public const long MaxOutputFileBytes = 4L * 1024 * 1024 * 1024;

    /// <summary>Removes the declared output files before a run, so a file left by an earlier run cannot pass for this one's.</summary>
    public static void ClearOutputFiles(BenchmarkSpec benchmark, string workingDirectory)
    {
        foreach (var file in benchmark.OutputFiles ?? [])
            File.Delete(ConfinedOutputFile(benchmark, workingDirectory, file));
    }

    /// <summary>
    /// The declared output files as this run left them, each as its length and hash (streamed, so a large file costs
    /// no memory); a missing file is an error of the run.
    /// </summary>
    public static IReadOnlyDictionary<string, OutputFileDigest> ReadOutputFiles(BenchmarkSpec benchmark, string workingDirectory)
    {
        var files = new Dictionary<string, OutputFileDigest>(StringComparer.Ordinal);
        foreach (var file in benchmark.OutputFiles ?? [])
        {
            string path = ConfinedOutputFile(benchmark, workingDirectory, file);
            if (!File.Exists(path)) throw new FileNotFoundException($"{benchmark.DisplayName} did not write its declared output file '{file}'.", path);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            if (stream.Length > MaxOutputFileBytes)
                throw Refused(benchmark, file, $"is {stream.Length} bytes, more than the {MaxOutputFileBytes} an output check reads");
            files[file] = new OutputFileDigest(stream.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)));
        }
        return files;
    }

    /// <summary>
    /// Where a declared output file is, once it is known to stay inside the working directory (the CMake source
    /// directory) and to be a regular file or none: AutoPass deletes and reads it, and a FIFO would block the read forever.
    /// </summary>
    private static string ConfinedOutputFile(BenchmarkSpec benchmark, string workingDirectory, string file) =>
        ConfinedPath.Problem(workingDirectory, workingDirectory, file, out string path) is { } problem
            ? throw Refused(benchmark, file, problem)
            : path;

    /// <summary>The error for a declared output file AutoPass will not touch; request validation reports the same before any work.</summary>
    public static AutoPassException Refused(BenchmarkSpec benchmark, string file, string problem) =>
        new(DiagnosticCode.OutputFileRefused,
            $"{benchmark.Target} declares the output file '{file}', which {problem}: AutoPass deletes it before each check run and reads it after, so it must be a regular file inside the CMake source directory.",
            "Name the file in the benchmark's OutputFiles metadata relative to the CMake source directory (the benchmark's working directory), inside it, and have the benchmark write a regular file there.");

    /// <summary>
    /// Where a check run keeps every byte of its stdout for the benchmark's verify command (memory holds only a
    /// hash and a few KiB); null when the benchmark has none. The last check's output stays there for a look.
    /// </summary>
    public static string? StdoutCopyPath(BenchmarkSpec benchmark, string intermediateDir)
    {
        if (benchmark.VerifyCommand is not { Count: > 0 }) return null;
        string dir = Path.Combine(intermediateDir, "check");
        Directory.CreateDirectory(dir);
        string name = string.Concat(benchmark.DisplayName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
        return Path.Combine(dir, name + ".stdout");
    }

    public static async Task<(OutputCheckStatus Status, string Message)?> CompareAsync(BenchmarkSpec benchmark, RunSample run, string workingDirectory, BaselineReference baseline, CancellationToken ct)
    {
        if (benchmark.VerifyCommand is { Count: > 0 } verify)
        {
            string copy = run.StandardOutputFile
                ?? throw new InvalidOperationException($"The check run of {benchmark.DisplayName} kept no copy of its stdout for the verify command (see {nameof(StdoutCopyPath)}).");
            await using var input = File.OpenRead(copy);
            var result = await ExternalTool.RunAsync(verify[0], verify.Skip(1), workingDirectory, TimeSpan.FromMinutes(5),
                standardInput: input, cancellationToken: ct);
            return result.Succeeded ? null : (OutputCheckStatus.Differs,
                $"{benchmark.DisplayName}: its verify command '{string.Join(' ', verify)}' failed ({(result.TimedOut ? "no answer within 5 min" : $"exit {result.ExitCode}")}): {LastLine(result.CombinedOutput)} (its input is in {copy})");
        }
        var expected = baseline.ReferenceOutputs[benchmark.DisplayName];
        if (!run.StandardOutput.SameBytesAs(expected))
        {
            string where = run.StandardOutput.FirstDifference(expected) is { } at ? $"; they differ {at}" : "";
            return (OutputCheckStatus.Differs, $"{benchmark.DisplayName} printed '{run.StandardOutput.LastLine}', the baseline printed '{expected.LastLine}' "
                + $"({run.StandardOutput.Length} bytes against the baseline's {expected.Length}{where})");
        }
        if (baseline.ReferenceFiles?.GetValueOrDefault(benchmark.DisplayName) is { Count: > 0 } referenceFiles)
        {
            IReadOnlyDictionary<string, OutputFileDigest> written;
            try { written = ReadOutputFiles(benchmark, workingDirectory); }
            catch (FileNotFoundException e) { return (OutputCheckStatus.Differs, e.Message); }
            catch (AutoPassException e) { return (OutputCheckStatus.Differs, e.Message); }
            foreach (var (file, reference) in referenceFiles)
                if (written[file] != reference)
                    return (OutputCheckStatus.Differs, $"{benchmark.DisplayName} wrote a different '{file}' than the baseline ({written[file].Length} bytes, the baseline's {reference.Length})");
        }
        return null;
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
}

/// <summary>A declared output file as a run left it: its length and SHA-256.</summary>
internal sealed record OutputFileDigest(long Length, string Sha256);
