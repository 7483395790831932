using System.IO.Compression;

namespace AutoPass.Bench;

/// <summary>The brotli-d row's input: the generated input as a brotli stream, made by .NET's encoder so that no build of the clone makes it.</summary>
internal static class BrotliStreams
{
    private const int Quality = 9;
    private const int WindowBits = 22;

    /// <summary>Writes <paramref name="input"/> compressed beside it (name.br) unless it is there; returns that path.</summary>
    public static string Compressed(string input)
    {
        string path = input + ".br";
        if (File.Exists(path) && File.GetLastWriteTimeUtc(path) >= File.GetLastWriteTimeUtc(input)) return path;
        string temp = path + ".tmp";
        using (var encoder = new BrotliEncoder(Quality, WindowBits))
        using (var output = File.Create(temp))
        {
            byte[] source = File.ReadAllBytes(input);
            byte[] buffer = new byte[BrotliEncoder.GetMaxCompressedLength(source.Length)];
            if (encoder.Compress(source, buffer, out _, out int written, isFinalBlock: true) != System.Buffers.OperationStatus.Done)
                throw new InvalidOperationException($"brotli-compressing {input} failed");
            output.Write(buffer, 0, written);
        }
        File.Move(temp, path, overwrite: true);
        return path;
    }
}
