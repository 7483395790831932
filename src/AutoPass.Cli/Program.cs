using AutoPass.Cli;
using AutoPass.Core.Diagnostics;

// autopass tune|build|verify --request <file>: the engine's entry point, run by the MSBuild task
// out of MSBuild's process, or by a user directly.
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
var sink = new ConsoleDiagnosticSink(Console.Out);
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C: stop cleanly (nothing pinned, ledger kept). A second one kills.
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    cancellation.Cancel();
};

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
