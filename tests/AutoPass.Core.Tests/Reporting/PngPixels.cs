using System.Buffers.Binary;
using System.IO.Compression;

namespace AutoPass.Core.Tests.Reporting;

/// <summary>
/// The pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's --screenshot writes), so a test can look at
/// what the browser drew: chunks, zlib, and the five row filters of the PNG specification.
/// </summary>
internal sealed record PngPixels(int Width, int Height, byte[] Rgb)
{
    public (byte R, byte G, byte B) At(int x, int y)
    {
        int i = (y * Width + x) * 3;
        return (Rgb[i], Rgb[i + 1], Rgb[i + 2]);
    }

    public static PngPixels Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), $"{path} is not a PNG");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (int at = 8; at < bytes.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);   // bit depth
                Assert.Equal(0, data[12]);  // not interlaced
                channels = data[9] switch { 2 => 3, 6 => 4, var other => throw new InvalidDataException($"PNG colour type {other} is not read here") };
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            at += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(inflated);
        var raw = inflated.ToArray();
        int stride = width * channels;
        var current = new byte[stride];
        var previous = new byte[stride];
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            int rowStart = y * (stride + 1);
            byte filter = raw[rowStart];
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? current[i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                };
                current[i] = (byte)(raw[rowStart + 1 + i] + predictor);
            }
            for (int x = 0; x < width; x++)
                for (int k = 0; k < 3; k++)
                    rgb[(y * width + x) * 3 + k] = current[x * channels + k];
            (previous, current) = (current, previous);
        }
        return new PngPixels(width, height, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
