namespace AutoPass.Core.Measurement;

/// <summary>
/// Runs one arm of a race once: the seam between the race loop and the machine. <see cref="ProgramRunner"/> runs a real
/// process; the tests' simulated machine returns a known time, so they drive the real loop.
/// </summary>
internal interface IArmRunner
{
    /// <param name="executable">The path to run (a race runs its arms through paths of equal length).</param>
    /// <param name="stdoutCopyPath">A file that receives every byte of stdout (the output check), when given.</param>
    Task<RunSample> RunAsync(string executable, IReadOnlyList<string> arguments, string workingDirectory, int paddingBytes, TimeSpan timeout, CancellationToken cancellationToken,
        string? stdoutCopyPath = null);
}
