using AutoPass.Core.Build;
using AutoPass.Core.Processes;
using AutoPass.Core.Tests.Compilers;

namespace AutoPass.Core.Tests.Build;

[Trait("Category", "Real")]
public class BinaryFingerprintTests
{
    private const string Program = """
        #include <stdio.h>
        static int work(int n) { int s = 0; for (int i = 0; i < n; i++) s += i * i; return s; }
        int main(int argc, char **argv) { (void)argv; printf("%d\n", work(argc * 1000)); return 0; }

        """;

    /// <summary>Builds the program in its own directory, as a candidate build tree would, with a build id.</summary>
    private static async Task<string> BuildAsync(string compiler, string root, string dirName, params string[] flags)
    {
        string dir = Path.Combine(root, dirName);
        Directory.CreateDirectory(dir);
        string source = Path.Combine(dir, "main.c");
        await File.WriteAllTextAsync(source, Program);
        string exe = Path.Combine(dir, "bench");
        var result = await ExternalTool.RunAsync(compiler, [.. flags, "-Wl,--build-id=sha1", source, "-o", exe], workingDirectory: dir);
        Assert.True(result.Succeeded, result.StandardError);
        return exe;
    }

    [Fact]
    public async Task SameSourceInTwoDirectories_SameFingerprint_EvenWithDebugInfo()
    {
        var gcc = await InstalledCompilers.Gcc();
        string root = InstalledCompilers.ScratchDirectory("fingerprint");
        try
        {
            // -g puts the build directory into .debug_* sections; the build id differs with them.
            string a = await BuildAsync(gcc.Path, root, "build-a", "-O2", "-g");
            string b = await BuildAsync(gcc.Path, root, "other-tree-b", "-O2", "-g");
            Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(b));
            var fa = BinaryFingerprint.Compute(a);
            var fb = BinaryFingerprint.Compute(b);
            Assert.True(fa.FromSections);
            Assert.Equal(fa.Hash, fb.Hash);
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public async Task FlagsThatChangeCode_ChangeTheFingerprint_FlagsThatDoNot_DoNot()
    {
        var gcc = await InstalledCompilers.Gcc();
        string root = InstalledCompilers.ScratchDirectory("fingerprint");
        try
        {
            string o0 = await BuildAsync(gcc.Path, root, "o0", "-O0");
            string o2 = await BuildAsync(gcc.Path, root, "o2", "-O2");
            string o2Again = await BuildAsync(gcc.Path, root, "o2-again", "-O2");
            Assert.NotEqual(BinaryFingerprint.Compute(o0).Hash, BinaryFingerprint.Compute(o2).Hash);
            Assert.Equal(BinaryFingerprint.Compute(o2).Hash, BinaryFingerprint.Compute(o2Again).Hash);
            Assert.Equal(
                BinaryFingerprint.Combine([BinaryFingerprint.Compute(o0), BinaryFingerprint.Compute(o2)]),
                BinaryFingerprint.Combine([BinaryFingerprint.Compute(o2), BinaryFingerprint.Compute(o0)]));
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void NonElfFiles_AreHashedWhole()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "#!/bin/sh\necho hi\n");
            var f = BinaryFingerprint.Compute(file);
            Assert.False(f.FromSections);
            Assert.Equal(64, f.Hash.Length);
            File.WriteAllBytes(file, [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, .. new byte[60]]); // truncated ELF
            Assert.False(BinaryFingerprint.Compute(file).FromSections);
        }
        finally { File.Delete(file); }
    }
}
