using System.CommandLine;
using System.CommandLine.Help;
using AutoPass.Cli.CommandLine;
using AutoPass.Core.Processes;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>
/// The command line (System.CommandLine): tune, verify, report, replay, build, render, recheck and conclude, each on a request file (what the
/// MSBuild task writes) or on a CMake project given directly, with every setting of the table as an option.
/// </summary>
internal static class CommandDispatcher
{
    /// <summary>The exit codes, as --help and the README list them.</summary>
    public const int Succeeded = 0, Failed = 1, UsageError = 2, Cancelled = 130;

    private const string ExitCodes =
        "Exit codes: 0 done (pinned; current; replayed alike; the pinned claim holds), 1 failed with an AP error (a failed session, stale pinned flags, " +
        "a replay that diverged, a pinned claim that no longer holds), 2 the command line was not understood, 130 cancelled (Ctrl+C; nothing pinned).";

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var request = new RequestOptions();
        var json = new Option<bool>("--json") { Description = "print the result as one JSON object on standard output (the progress lines go to standard error)", Recursive = true };
        var root = new RootCommand("autopass: tunes the compiler flags of a CMake project by experiment and pins the winners. " + ExitCodes);
        root.Options.Add(json);
        var parentPid = new Option<int?>("--parent-pid")
        {
            Description = "stop as on Ctrl+C (nothing pinned, the ledger kept) when this process ends; the MSBuild task passes its own",
            Recursive = true,
        };
        root.Options.Add(parentPid);

        var tune = new Command("tune", "run a tuning session on the benchmarks and pin the winning flags (autopass.props, autopass.cmake, autopass.lock.json)");
        request.AddTo(tune, benchmarks: true, settings: true);
        var verify = new Command("verify", "fail when the pinned flags are stale for the installed compiler, not allowed, or not one set");
        request.AddTo(verify, benchmarks: false, settings: false, alsoSettings: ["--machine-class"]);
        var report = new Command("report", "draw report.html again from the last session's ledger and lock file, and show its summary");
        request.AddTo(report, benchmarks: false, settings: false, alsoSettings: ["--machine-class"]);
        var replay = new Command("replay", "re-run the last session's decisions from its ledger, without building, measuring or a model server");
        request.AddTo(replay, benchmarks: true, settings: true);
        var build = new Command("build", "configure and build the CMake project with the pinned flags");
        request.AddTo(build, benchmarks: false, settings: false, buildDir: true, alsoSettings: ["--machine-class"]);
        var recheck = new Command("recheck", "build the pinned set and the baseline afresh, measure them again in interleaved pairs, and fail (AP2040) when the pinned speedup no longer holds");
        // The settings a recheck reads: how it builds (the toolchain, the project's CMake), how it measures and judges, where it summarizes.
        request.AddTo(recheck, benchmarks: true, settings: false, alsoSettings:
            ["--cmake-preset", "--cmake-args", "--min-effect", "--confidence", "--seed", "--summary-file", "--no-noise-warnings", "--recheck-pairs", "--machine-class"]);
        var conclude = new Command("conclude", "with --store and --campaign: confirm the campaign's winner for this machine's class afresh here and pin it, as the worker that finds the budget spent does");
        request.AddTo(conclude, benchmarks: true, settings: true);
        var render = new Command("render", "write autopass.cmake and autopass.props again from autopass.lock.json, as tuning wrote them");
        request.AddTo(render, benchmarks: false, settings: false);

        tune.SetAction((result, token) => Execute(result, json, "tune", sink => TuneCommand.RunAsync(request.ToRequest(result), sink, token), request, token));
        verify.SetAction((result, token) => Execute(result, json, "verify", sink => VerifyCommand.RunAsync(request.ToRequest(result), sink, token), request, token));
        report.SetAction((result, token) => Execute(result, json, "report", sink => ReportCommand.RunAsync(request.ToRequest(result), sink, token), request, token));
        replay.SetAction((result, token) => Execute(result, json, "replay", sink => ReplayCommand.RunAsync(request.ToRequest(result), sink, token), request, token));
        build.SetAction((result, token) => Execute(result, json, "build", sink => BuildCommand.RunAsync(request.ToRequest(result), request.BuildDirectory(result), sink, token), request, token));
        render.SetAction((result, token) => Execute(result, json, "render", sink => RenderCommand.RunAsync(request.ToRequest(result), sink, token), request, token));
        recheck.SetAction((result, token) => Execute(result, json, "recheck", sink => RecheckCommand.RunAsync(request.ToRequest(result), sink, token), request, token));
        conclude.SetAction((result, token) => Execute(result, json, "conclude", sink => TuneCommand.WorkAsync(request.ToRequest(result), sink, concludeNow: true, token), request, token));
        foreach (var command in new[] { tune, verify, report, replay, build, render, recheck, conclude }) root.Subcommands.Add(command);
        // No command: the help, and the exit code of a command line not understood.
        root.SetAction(result =>
        {
            new HelpAction().Invoke(result);
            return UsageError;
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"autopass: {error.Message}");
            Console.Error.WriteLine($"Run 'autopass {parsed.CommandResult.Command.Name} --help' for the options.".Replace("autopass autopass", "autopass"));
            return UsageError;
        }
        using var stopped = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (parsed.GetValue(parentPid) is int parent)
            ParentWatch.Start(parent, () =>
            {
                Console.Error.WriteLine($"autopass: the process that started it (pid {parent}) has ended; stopping as on Ctrl+C.");
                stopped.Cancel();
            });
        return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, stopped.Token);
    }

    /// <summary>Runs one command: its AP errors become one error line (or JSON) and an exit code, never a stack trace.</summary>
    private static async Task<int> Execute(ParseResult result, Option<bool> jsonOption, string command, Func<ConsoleDiagnosticSink, Task<int>> run, RequestOptions request, CancellationToken ct)
    {
        bool json = result.GetValue(jsonOption);
        // With --json, standard output is the JSON alone; the lines a person reads go to standard error.
        // A request file means the MSBuild task runs this: it gets the live status lines its terminal logger shows.
        var sink = new ConsoleDiagnosticSink(json ? Console.Error : Console.Out, forTask: result.GetValue(request.Request) is not null);
        try
        {
            int exit = await run(sink);
            if (json) JsonResult.Write(Console.Out, command, exit, request.ToRequest(result));
            return exit;
        }
        catch (AutoPassException e)
        {
            sink.Error(e.Code, $"{e.Message} {e.Fix}");
            if (json) JsonResult.WriteError(Console.Out, command, e.Code, e.Message, e.Fix);
            return Failed;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            sink.Error(DiagnosticCode.Cancelled, "Cancelled; nothing was pinned. The ledger in the intermediate directory keeps every finished trial.");
            if (json) JsonResult.WriteError(Console.Out, command, DiagnosticCode.Cancelled, "Cancelled; nothing was pinned.", "Run the same command again; a tuning session resumes from its ledger.");
            return Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk, a permission, a file in use: the user's to fix, so a sentence and the fix, not a stack trace.
            string fix = "Free disk space or fix the permissions of the path named, then run the same command again; a tuning session resumes from its ledger.";
            sink.Error(DiagnosticCode.FileAccessFailed, $"A file could not be read or written: {e.Message} {fix}");
            if (json) JsonResult.WriteError(Console.Out, command, DiagnosticCode.FileAccessFailed, $"A file could not be read or written: {e.Message}", fix);
            return Failed;
        }
        catch (Exception e)
        {
            // Last resort: still an AP code and somewhere to go, with the details on standard error instead of a crash (exit 134).
            string message = $"AutoPass stopped on an error it does not handle ({e.GetType().Name}: {e.Message}). This is a bug in AutoPass, not in your project.";
            string fix = "Report it on the AutoPass issue tracker with this line, the command and the details printed on standard error.";
            sink.Error(DiagnosticCode.UnexpectedFailure, $"{message} {fix}");
            Console.Error.WriteLine(e);
            if (json) JsonResult.WriteError(Console.Out, command, DiagnosticCode.UnexpectedFailure, message, fix);
            return Failed;
        }
    }
}
