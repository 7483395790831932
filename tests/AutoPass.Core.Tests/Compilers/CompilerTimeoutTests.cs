using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Processes;

namespace AutoPass.Core.Tests.Compilers;

/// <summary>A compiler that never answers (a wrapper waiting on a license server, say) stops the probe at its time limit.</summary>
[Trait("Category", "Real")]
public sealed class CompilerTimeoutTests : IDisposable
{
    private readonly string _dir = InstalledCompilers.ScratchDirectory("hanging-compiler");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_compiler_that_does_not_answer_is_a_clear_error_at_the_time_limit()
    {
        string hang = Path.Combine(_dir, "hang");
        string compiler = Path.Combine(_dir, "cc-hanging");
        await File.WriteAllTextAsync(compiler, $"#!/bin/sh\nif [ -f '{hang}' ]; then exec sleep 3602; fi\necho 'gcc (fake) 13.2.0'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(compiler, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Another test's process start can briefly hold the new file open for writing (ETXTBSY): wait until it runs.
        for (int attempt = 0; attempt < 50 && !(await ExternalTool.RunAsync(compiler, ["--version"])).Succeeded; attempt++) await Task.Delay(100);
        await File.WriteAllTextAsync(hang, "");
        try
        {
            // The bound only turns a hang into a failure.
            var error = await Assert.ThrowsAsync<AutoPassException>(() => CompilerProbe.IdentifyAsync(compiler, TimeSpan.FromSeconds(2), CancellationToken.None))
                .WaitAsync(TimeSpan.FromMinutes(1));

            Assert.Equal(DiagnosticCode.CompilerTimedOut, error.Code);
            Assert.Equal($"The compiler '{compiler}' did not answer '--version' within 2 s.", error.Message);
            Assert.True(await ProcessTable.EndWithinAsync(() => ProcessTable.WithCommandLine("sleep", "3602"), TimeSpan.FromSeconds(10)));
        }
        finally
        {
            ProcessTable.Kill(ProcessTable.WithCommandLine("sleep", "3602"));
        }
    }
}
