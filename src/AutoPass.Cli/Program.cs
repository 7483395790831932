using System.Runtime.InteropServices;
using AutoPass.Cli;
using AutoPass.Core.Diagnostics;

// autopass tune|build|verify --request <file>: the engine's entry point, run by the MSBuild task
// out of MSBuild's process, or by a user directly.
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
var sink = new ConsoleDiagnosticSink(Console.Out);
using var cancellation = new CancellationTokenSource();
// Ctrl+C (SIGINT) or SIGTERM: stop cleanly, pin nothing, keep the ledger. A second signal kills.
// (MSBuild's own Ctrl+C kills the process tree outright; the ledger and the pinned files survive that too.)
void Stop(PosixSignalContext context)
{
    if (cancellation.IsCancellationRequested) return;
    context.Cancel = true;
    cancellation.Cancel();
}
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
// Compilers and benchmarks die with this process, even on kill -9 (Linux).
AutoPass.Core.Processes.ChildProcessReaper.Start();

try
{
    return await CommandDispatcher.RunAsync(args, sink, cancellation.Token);
}
catch (AutoPassException e)
{
    sink.Error(e.Code, $"{e.Message} {e.Fix}");
    return 1;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    sink.Error(DiagnosticCode.Cancelled, "Cancelled; nothing was pinned. The ledger in the intermediate directory keeps every finished trial.");
    return 130;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    // A full disk, a permission, a file in use: the user's to fix, so a sentence and the fix, not a stack trace.
    sink.Error(DiagnosticCode.FileAccessFailed, $"A file could not be read or written: {e.Message} " +
        "Free disk space or fix the permissions of the path named, then run the same command again; a tuning session resumes from its ledger.");
    return 1;
}
catch (Exception e)
{
    // Last resort: still an AP code and somewhere to go, with the details on standard error instead of a crash (exit 134).
    sink.Error(DiagnosticCode.UnexpectedFailure, $"AutoPass stopped on an error it does not handle ({e.GetType().Name}: {e.Message}). This is a bug in AutoPass, not in your project. " +
        "Report it on the AutoPass issue tracker with this line, the command and the details printed on standard error.");
    Console.Error.WriteLine(e);
    return 1;
}
