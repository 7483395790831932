using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AutoPass.Core.Build;

/// <summary>
/// A hash of what an executable does, not of where or when it was built: for ELF files, the contents of the sections
/// loaded at run time (.text, .rodata, .data, ...) with the build id left out, and no debug, symbol or comment sections
/// (they carry paths). Two candidates with equal fingerprints run the same code, so one measurement serves both.
/// Anything that is not a readable ELF file is hashed whole.
/// </summary>
/// <param name="Hash">Lower-case hex SHA-256.</param>
/// <param name="FromSections">True when the ELF sections were hashed; false for the whole-file fallback.</param>
internal sealed record BinaryFingerprint(string Hash, bool FromSections)
{
    private const uint ShfAlloc = 0x2;
    private const uint ShtNobits = 8;

    public static BinaryFingerprint Compute(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var fromSections = TryHashElf(bytes);
        return fromSections is not null
            ? new BinaryFingerprint(fromSections, true)
            : new BinaryFingerprint(Convert.ToHexStringLower(SHA256.HashData(bytes)), false);
    }

    /// <summary>One fingerprint for several binaries (a benchmark's executables), independent of their order.</summary>
    public static string Combine(IEnumerable<BinaryFingerprint> fingerprints) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join('\n', fingerprints.Select(f => f.Hash).Order(StringComparer.Ordinal)))));

    private static string? TryHashElf(byte[] b)
    {
        try
        {
            if (b.Length < 52 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F') return null;
            bool is64 = b[4] == 2;
            bool little = b[5] == 1;
            if (b[4] is not (1 or 2) || b[5] is not (1 or 2)) return null;

            ulong shoff = is64 ? U64(b, 0x28, little) : U32(b, 0x20, little);
            int shentsize = U16(b, is64 ? 0x3A : 0x2E, little);
            int shnum = U16(b, is64 ? 0x3C : 0x30, little);
            int shstrndx = U16(b, is64 ? 0x3E : 0x32, little);
            if (shoff == 0 || shnum == 0 || shstrndx >= shnum) return null;

            var sections = new List<(uint Name, uint Type, ulong Flags, ulong Offset, ulong Size)>(shnum);
            for (int i = 0; i < shnum; i++)
            {
                int h = checked((int)shoff + i * shentsize);
                sections.Add(is64
                    ? (U32(b, h, little), U32(b, h + 4, little), U64(b, h + 8, little), U64(b, h + 0x18, little), U64(b, h + 0x20, little))
                    : (U32(b, h, little), U32(b, h + 4, little), U32(b, h + 8, little), U32(b, h + 0x10, little), U32(b, h + 0x14, little)));
            }
            var names = sections[shstrndx];

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var s in sections)
            {
                if ((s.Flags & ShfAlloc) == 0) continue;
                string name = CString(b, checked((int)(names.Offset + s.Name)));
                // The build id differs per link by design; it says nothing about the code.
                if (name == ".note.gnu.build-id") continue;
                hash.AppendData(Encoding.ASCII.GetBytes($"{name}:{s.Type}:{s.Size}\n"));
                if (s.Type != ShtNobits && s.Size > 0)
                    hash.AppendData(b, checked((int)s.Offset), checked((int)s.Size));
            }
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            return null;
        }
    }

    private static ushort U16(byte[] b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at));

    private static uint U32(byte[] b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at));

    private static ulong U64(byte[] b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(at));

    private static string CString(byte[] b, int at)
    {
        int end = Array.IndexOf(b, (byte)0, at);
        return Encoding.ASCII.GetString(b, at, (end < 0 ? b.Length : end) - at);
    }
}
