using AutoPass.Core.Compilers;

namespace AutoPass.Core.Tests.Compilers;

[Trait("Category", "Real")]
public class CompilerRejectionsTests
{
    /// <summary>A gcc wrapper that counts its invocations, so the test can see how many probe compiles ran.</summary>
    private static async Task<(CompilerInfo Compiler, Func<int> Count, string Dir)> CountingGccAsync()
    {
        var gcc = await InstalledCompilers.Gcc();
        string dir = InstalledCompilers.ScratchDirectory("counting");
        string counter = Path.Combine(dir, "count");
        string script = Path.Combine(dir, "gcc-counting");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\necho x >> '{counter}'\nexec '{gcc.Path}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Another test's process start can briefly hold the new file open for writing (ETXTBSY): wait until it runs.
        for (int attempt = 0; attempt < 50; attempt++)
        {
            if ((await AutoPass.Core.Processes.ExternalTool.RunAsync(script, ["--version"])).Succeeded) break;
            await Task.Delay(100);
        }
        File.Delete(counter);
        int Count() => File.Exists(counter) ? File.ReadAllLines(counter).Length : 0;
        return (gcc with { Path = script }, Count, dir);
    }

    [Fact]
    public async Task AcceptedSet_IsOneCompile_AndIsNotProbedAgain()
    {
        var (compiler, count, dir) = await CountingGccAsync();
        try
        {
            var memo = new CompilerRejections(compiler);
            string[] flags = ["-funroll-loops", "-fno-tree-vectorize", "--param=max-unroll-times=4", "-fipa-pta"];
            Assert.Empty(await memo.CheckAsync(flags));
            Assert.Equal(1, count());
            Assert.Empty(await memo.CheckAsync(flags));
            Assert.Equal(1, count());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task OneBadFlagAmongEight_IsFoundByBisection_AndRemembered()
    {
        var (compiler, count, dir) = await CountingGccAsync();
        try
        {
            var memo = new CompilerRejections(compiler);
            string[] flags = ["-funroll-loops", "-fpeel-loops", "-fipa-pta", "-ftracer", "-fno-not-a-real-flag", "-fweb", "-fgcse-sm", "-fgcse-las"];
            var rejected = await memo.CheckAsync(flags);
            Assert.Equal("-fno-not-a-real-flag", Assert.Single(rejected).Flag);
            Assert.True(count() <= 7, $"{count()} compiles"); // 1 + 2 per level of 3 levels
            Assert.True(memo.IsRejected("-fno-not-a-real-flag"));

            int before = count();
            Assert.Single(await memo.CheckAsync(["-fno-not-a-real-flag", "-funroll-loops"]));
            Assert.Equal(before, count()); // both answers come from the memo
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task RecordedCrash_IsNeverTriedAgain()
    {
        var gcc = await InstalledCompilers.Gcc();
        var memo = new CompilerRejections(gcc);
        memo.Record("-fipa-pta", "internal compiler error in a full build");
        Assert.True(memo.AnyRejected(["-O2", "-fipa-pta"]));
        var rejected = Assert.Single(await memo.CheckAsync(["-fipa-pta"]));
        Assert.Equal("internal compiler error in a full build", rejected.Reason);
    }
}
