using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AutoPass.Bench;

/// <summary>
/// The input the real projects' benchmarks compress and hash: generated here from a fixed seed, never downloaded, so
/// every machine gets the same bytes. A mix a compressor meets in practice, in 64 KiB segments: prose-like text
/// from a skewed vocabulary, log records with numbers, low-entropy binary, and a little incompressible noise.
/// </summary>
internal static class RealInput
{
    public const int DefaultBytes = 24 << 20;
    private const int SegmentBytes = 64 << 10;
    private const ulong Seed = 0x4175746F50617373; // "AutoPass"

    /// <summary>The input the README's figures were taken with: a generator that makes other bytes makes them incomparable.</summary>
    public const string DefaultSha256 = "b89224fd3c1efe62f264a47a1533418eac756927eb18f191a7a9cc6e90937316";

    /// <summary>
    /// Writes the first <paramref name="bytes"/> of the input to <paramref name="path"/> unless a file of the same bytes
    /// is there; returns its SHA-256. A shorter input is a prefix of the full one, whose hash is checked first.
    /// </summary>
    public static string Ensure(string path, int bytes = DefaultBytes)
    {
        if (bytes is <= 0 or > DefaultBytes) throw new ArgumentOutOfRangeException(nameof(bytes), $"an input of 1 to {DefaultBytes} bytes");
        byte[] full = Generate(DefaultBytes);
        string fullHash = Convert.ToHexStringLower(SHA256.HashData(full));
        if (fullHash != DefaultSha256)
            throw new InvalidOperationException($"the generated input's SHA-256 is {fullHash}, not {DefaultSha256}: RealInput changed, so the real-project figures no longer compare; " +
                "update DefaultSha256 and bench/README.md's figures together.");
        byte[] data = full[..bytes];
        string hash = Convert.ToHexStringLower(SHA256.HashData(data));
        if (File.Exists(path) && new FileInfo(path).Length == bytes && Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))) == hash)
            return hash;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp";
        File.WriteAllBytes(temp, data);
        File.Move(temp, path, overwrite: true);
        return hash;
    }

    public static byte[] Generate(int bytes)
    {
        var random = new SplitMix64(Seed);
        string[] vocabulary = Vocabulary(random, 4096);
        var output = new MemoryStream(bytes + SegmentBytes);
        while (output.Length < bytes)
        {
            int kind = (int)random.Below(100);
            byte[] segment = kind switch
            {
                < 55 => Prose(random, vocabulary),
                < 80 => LogRecords(random, vocabulary),
                < 95 => LowEntropy(random),
                _ => Noise(random),
            };
            output.Write(segment);
        }
        output.SetLength(bytes);
        return output.ToArray();
    }

    /// <summary>Pronounceable pseudo-words of 1-4 syllables; the order is the rank of their frequency.</summary>
    private static string[] Vocabulary(SplitMix64 random, int count)
    {
        string[] onsets = ["", "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr", "pl", "ch", "sh", "th"];
        string[] vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"];
        string[] codas = ["", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng"];
        var words = new string[count];
        for (int i = 0; i < count; i++)
        {
            var word = new StringBuilder();
            int syllables = 1 + (int)random.Below(i < 64 ? 2u : 4u);
            for (int s = 0; s < syllables; s++)
                word.Append(onsets[random.Below((uint)onsets.Length)]).Append(vowels[random.Below((uint)vowels.Length)]).Append(codas[random.Below((uint)codas.Length)]);
            words[i] = word.ToString();
        }
        return words;
    }

    /// <summary>A Zipf-like pick: low ranks far more often than high ones.</summary>
    private static string Word(SplitMix64 random, string[] vocabulary)
    {
        double u = random.NextDouble();
        return vocabulary[(int)(vocabulary.Length * u * u * u)];
    }

    private static byte[] Prose(SplitMix64 random, string[] vocabulary)
    {
        var text = new StringBuilder(SegmentBytes + 256);
        int lineStart = 0;
        while (text.Length < SegmentBytes)
        {
            int words = 4 + (int)random.Below(18);
            for (int w = 0; w < words; w++)
            {
                string word = Word(random, vocabulary);
                text.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
                if (w + 1 < words) text.Append(random.Below(12) == 0 ? ", " : " ");
                if (text.Length - lineStart > 72) { text.Append('\n'); lineStart = text.Length; }
            }
            text.Append(random.Below(8) == 0 ? "?" : ".");
            if (random.Below(6) == 0) { text.Append("\n\n"); lineStart = text.Length; }
            else text.Append(' ');
        }
        return Encoding.ASCII.GetBytes(text.ToString(0, SegmentBytes));
    }

    private static byte[] LogRecords(SplitMix64 random, string[] vocabulary)
    {
        string[] levels = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"];
        var text = new StringBuilder(SegmentBytes + 256);
        long millis = (long)random.Below(86_400_000);
        while (text.Length < SegmentBytes)
        {
            millis += (long)random.Below(5000);
            text.Append(string.Create(CultureInfo.InvariantCulture,
                    $"2026-12-{1 + millis / 86_400_000 % 28:00}T{millis / 3_600_000 % 24:00}:{millis / 60_000 % 60:00}:{millis / 1000 % 60:00}.{millis % 1000:000} "))
                .Append(levels[random.Below((uint)levels.Length)]).Append(" worker-").Append(random.Below(32).ToString(CultureInfo.InvariantCulture))
                .Append(' ').Append(Word(random, vocabulary)).Append('.').Append(Word(random, vocabulary))
                .Append(" id=").Append(random.Next().ToString("x16", CultureInfo.InvariantCulture))
                .Append(" bytes=").Append(random.Below(1u << (int)random.Below(24)).ToString(CultureInfo.InvariantCulture))
                .Append(" ms=").Append((random.Below(100_000) / 100.0).ToString("0.00", CultureInfo.InvariantCulture))
                .Append('\n');
        }
        return Encoding.ASCII.GetBytes(text.ToString(0, SegmentBytes));
    }

    /// <summary>Binary of a few symbols with runs, like sensor samples or an image's plane.</summary>
    private static byte[] LowEntropy(SplitMix64 random)
    {
        var data = new byte[SegmentBytes];
        byte level = (byte)random.Below(256);
        for (int i = 0; i < data.Length; i++)
        {
            ulong r = random.Next();
            if ((r & 7) == 0) level = (byte)(level + (int)((r >> 3) % 9) - 4);
            data[i] = (byte)(level + (int)((r >> 8) & 3));
        }
        return data;
    }

    private static byte[] Noise(SplitMix64 random)
    {
        var data = new byte[SegmentBytes];
        for (int i = 0; i < data.Length; i += 8)
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(i), random.Next());
        return data;
    }

    /// <summary>Steele, Lea and Flood's SplitMix64: small, fast, and the same on every runtime.</summary>
    private sealed class SplitMix64(ulong state)
    {
        public ulong Next()
        {
            ulong z = state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }

        public ulong Below(ulong bound) => Next() % bound;

        public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
    }
}
