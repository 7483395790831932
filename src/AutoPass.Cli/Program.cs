using System.Runtime.InteropServices;
using AutoPass.Cli;

// autopass tune|verify|report|replay|build: the engine's entry point, run by the MSBuild task out of MSBuild's
// process (--request), or by a user directly (a .NET tool: --source, --benchmark and the settings as options).
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
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

return await CommandDispatcher.RunAsync(args, cancellation.Token);
