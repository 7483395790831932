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

    /// <summary>
    /// The shared libraries an ELF file names (DT_NEEDED) and the directories it says to find them in (DT_RUNPATH, or
    /// DT_RPATH), as written: "$ORIGIN" unexpanded. Empty for anything that is not a readable dynamic ELF file.
    /// </summary>
    public static (IReadOnlyList<string> Needed, IReadOnlyList<string> SearchPath) DynamicDependencies(string path)
    {
        try { return DynamicDependencies(File.ReadAllBytes(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ([], []); }
    }

    private const uint ShtDynamic = 6;
    private const long DtNeeded = 1, DtRpath = 15, DtRunpath = 29;

    private static (IReadOnlyList<string>, IReadOnlyList<string>) DynamicDependencies(byte[] b)
    {
        var needed = new List<string>();
        var searchPath = new List<string>();
        try
        {
            if (b.Length < 52 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] is not (1 or 2) || b[5] is not (1 or 2))
                return ([], []);
            bool is64 = b[4] == 2;
            bool little = b[5] == 1;
            ulong shoff = is64 ? U64(b, 0x28, little) : U32(b, 0x20, little);
            int shentsize = U16(b, is64 ? 0x3A : 0x2E, little);
            int shnum = U16(b, is64 ? 0x3C : 0x30, little);
            for (int i = 0; i < shnum; i++)
            {
                int h = checked((int)shoff + i * shentsize);
                if (U32(b, h + 4, little) != ShtDynamic) continue;
                ulong offset = is64 ? U64(b, h + 0x18, little) : U32(b, h + 0x10, little);
                ulong size = is64 ? U64(b, h + 0x20, little) : U32(b, h + 0x14, little);
                int link = (int)U32(b, h + (is64 ? 0x28 : 0x18), little);
                int strings = checked((int)shoff + link * shentsize);
                ulong stringsOffset = is64 ? U64(b, strings + 0x18, little) : U32(b, strings + 0x10, little);
                int entrySize = is64 ? 16 : 8;
                string? runpath = null, rpath = null;
                for (ulong at = offset; at + (ulong)entrySize <= offset + size; at += (ulong)entrySize)
                {
                    int e = checked((int)at);
                    long tag = is64 ? (long)U64(b, e, little) : (int)U32(b, e, little);
                    ulong value = is64 ? U64(b, e + 8, little) : U32(b, e + 4, little);
                    if (tag == 0) break;
                    if (tag is DtNeeded or DtRpath or DtRunpath)
                    {
                        string text = CString(b, checked((int)(stringsOffset + value)));
                        if (tag == DtNeeded) needed.Add(text);
                        else if (tag == DtRunpath) runpath = text;
                        else rpath = text;
                    }
                }
                // As the dynamic loader reads them: DT_RUNPATH, when there is one, overrides DT_RPATH.
                if ((runpath ?? rpath) is { Length: > 0 } dirs) searchPath.AddRange(dirs.Split(':', StringSplitOptions.RemoveEmptyEntries));
                break;
            }
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            return ([], []);
        }
        return (needed, searchPath);
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
