namespace AutoPass.Build.Tests.Infrastructure;

/// <summary>
/// A real 64 KiB tmpfs mounted on a scratch directory (the tests run as root, as in CI), for what happens when a disk
/// fills up. Unmounted and removed after the test.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("autopass-small-disk-").FullName;

    public SmallDisk()
    {
        var mount = Command.Run("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", Path], System.IO.Path.GetTempPath(), null, TimeSpan.FromSeconds(30));
        if (mount.ExitCode != 0)
            throw new InvalidOperationException($"Could not mount a tmpfs on {Path} (these tests need root, as in CI): {mount}");
    }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Writes a filler file until the disk is full, so the next write of data fails with "No space left on device".</summary>
    public void Fill()
    {
        // Unbuffered: nothing is left to flush (and fail again) when the stream is closed.
        using var filler = new FileStream(this["filler"], FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                filler.Write(block);
            }
        }
        catch (IOException) { } // full
    }

    public void Dispose()
    {
        Command.Run("umount", [Path], System.IO.Path.GetTempPath(), null, TimeSpan.FromSeconds(30));
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
