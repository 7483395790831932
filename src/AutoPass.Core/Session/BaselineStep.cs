using AutoPass.Core.Check;
using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;

namespace AutoPass.Core.Session;

/// <summary>The baseline every candidate is checked and timed against, and the compiler that built it.</summary>
/// <param name="Catalog">The options this compiler really has.</param>
/// <param name="Policy">The gate every proposed flag passes.</param>
/// <param name="HotFiles">The files candidates change (AutoPassTuneScope=hot), or null: the whole project.</param>
/// <param name="Resumed">The interrupted session this one continues (same baseline binaries, same compiler), or null.</param>
internal sealed record PreparedBaseline(BaselineReference Reference, CompilerInfo Compiler, FlagCatalog Catalog, FlagPolicy Policy, HotFileSet? HotFiles = null,
    InterruptedSession? Resumed = null);

/// <summary>Builds and runs the baseline, then probes the compiler that built it for the flags it has.</summary>
internal sealed class BaselineStep(SessionSetup setup)
{
    /// <param name="searchTimeLeft">The session's time left (null: no time limit): hot-file selection chooses its build slots for it.</param>
    public async Task<PreparedBaseline> RunAsync(SessionLedger ledger, CancellationToken ct, Func<TimeSpan?>? searchTimeLeft = null)
    {
        var request = setup.Request;
        setup.Sink.Info($"building the baseline ({string.Join(' ', request.BaselineFlags)})");
        var reference = await new BaselineSetup(request, setup.Builder, setup.Runner, setup.Sink).PrepareAsync(ct);
        var compiler = await CompilerProbe.IdentifyAsync(reference.Build.CCompilerPath!, ct);
        string version = compiler.Version.ToNormalizedString();
        var resumed = ledger.Resume(compiler.Id, version, compiler.Path, reference.Fingerprint);
        var catalog = await CompilerProbe.CatalogAsync(compiler, request.BaselineFlags, ct);
        setup.Sink.Info($"compiler {compiler.Id} {compiler.Version} ({compiler.Path}), {catalog.Flags.Count} tunable options");
        ledger.Append(new CompilerLine(compiler.Id, version, compiler.Path, compiler.VersionText, catalog.Flags.Count));
        // A resumed session keeps the files its trials were built with; a profile (under callgrind, about 50x a run) is not taken again.
        // A resumed session builds as many candidates at once as it did, so its search proposes as it did.
        var hot = resumed is not null
            ? HotFileSelection.Resumed(request, resumed.HotFiles, setup.Sink) is { } kept ? kept with { BuildSlots = resumed.HotBuildSlots } : null
            : await HotFileSelection.SelectAsync(request, reference, setup.Sink, ct, searchTimeLeft);
        // Hot-file candidates never propose link-time optimization (the evaluator would refuse each one).
        if (hot is not null)
        {
            catalog = catalog.WithoutLinkTimeOptimization();
            if (resumed is null) ledger.Append(new HotFilesLine(hot.SourceFiles(request.SourceDir), hot.BuildSlots));
        }
        var policy = new FlagPolicy(new PolicyOptions(request.AllowUnsafeMath, request.AllowMachineSpecific), catalog);
        // Candidates are built in the baseline's tree from here on: the baseline is measured as copies of its programs.
        if (hot is not null) reference = HotFileSelection.KeepBaselinePrograms(reference, Path.Combine(request.IntermediateDir, "builds", "baseline-programs"));
        return new PreparedBaseline(reference, compiler, catalog, policy, hot, resumed);
    }
}
