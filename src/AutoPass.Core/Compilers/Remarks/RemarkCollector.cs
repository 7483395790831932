using AutoPass.Core.Processes;

namespace AutoPass.Core.Compilers.Remarks;

/// <summary>
/// Compiles sources with a candidate's flags plus the engine's own remark options and digests what the compiler did.
/// The remark options write files, so the policy forbids them in candidates; this is AutoPass's own invocation,
/// into its own scratch directory, never part of a pinned command line.
/// </summary>
internal static class RemarkCollector
{
    /// <param name="flags">The candidate's flags (already admitted by the policy).</param>
    /// <param name="compileArguments">The file's own arguments from the project (include paths, defines), if any.</param>
    public static async Task<RemarkDigest> CollectAsync(
        CompilerInfo compiler, IReadOnlyList<string> sourceFiles, IReadOnlyList<string> flags,
        IReadOnlyList<string>? compileArguments = null, CancellationToken ct = default)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"autopass-remarks-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var remarks = new List<Remark>();
            for (int i = 0; i < sourceFiles.Count; i++)
            {
                string source = Path.GetFullPath(sourceFiles[i]);
                string obj = Path.Combine(dir, $"unit{i}.o");
                string record = Path.Combine(dir, $"unit{i}.opt.yaml");
                IReadOnlyList<string> remarkOptions = compiler.Id == "clang"
                    // DebugLoc needs line tables; they do not change the generated code.
                    ? ["-fsave-optimization-record", $"-foptimization-record-file={record}", "-gline-tables-only"]
                    // gcc names the record after the output's dump base, in the working directory.
                    : ["-fsave-optimization-record", "-dumpbase", $"unit{i}"];
                var result = await ExternalTool.RunAsync(compiler.Path,
                    ["-c", .. compileArguments ?? [], .. flags, .. remarkOptions, source, "-o", obj],
                    workingDirectory: dir, timeout: TimeSpan.FromMinutes(5), cancellationToken: ct);
                if (!result.Succeeded)
                    throw new InvalidOperationException($"Compiling {source} for remarks failed: {result.StandardError.Trim()}");
                if (compiler.Id == "clang")
                    remarks.AddRange(ClangOptRecordParser.Parse(await File.ReadAllTextAsync(record, ct)));
                else
                    foreach (var file in Directory.GetFiles(dir, $"unit{i}*.opt-record.json.gz"))
                        remarks.AddRange(GccOptRecordParser.ParseFile(file));
            }
            return RemarkDigest.From(remarks);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
