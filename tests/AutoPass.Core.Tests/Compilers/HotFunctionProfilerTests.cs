using AutoPass.Core.Compilers.Profiling;
using AutoPass.Core.Processes;

namespace AutoPass.Core.Tests.Compilers;

[Trait("Category", "Real")]
public class HotFunctionProfilerTests
{
    private const string Program = """
        #include <stdio.h>
        __attribute__((noinline)) long hot_kernel(long n) { long s = 0; for (long i = 0; i < n; i++) s += (i * 7) ^ (s >> 3); return s; }
        __attribute__((noinline)) long cold_setup(long n) { return n + 1; }
        int main(void) { long n = cold_setup(2000000); printf("%ld\n", hot_kernel(n)); return 0; }

        """;

    [Fact]
    public async Task Callgrind_NamesTheHotFunctionWithItsShare()
    {
        var gcc = await InstalledCompilers.Gcc();
        string dir = InstalledCompilers.ScratchDirectory("profile");
        try
        {
            string source = Path.Combine(dir, "hot.c"), exe = Path.Combine(dir, "hot");
            await File.WriteAllTextAsync(source, Program);
            var build = await ExternalTool.RunAsync(gcc.Path, ["-O1", source, "-o", exe]);
            Assert.True(build.Succeeded, build.StandardError);

            var hot = await HotFunctionProfiler.ProfileAsync(exe, [], top: 5);
            Assert.Equal("hot_kernel", hot[0].Name);
            Assert.True(hot[0].Share > 0.8, $"share {hot[0].Share}");
            Assert.EndsWith("hot", hot[0].Object);
            Assert.True(hot.Zip(hot.Skip(1)).All(p => p.First.Instructions >= p.Second.Instructions));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void CallgrindFile_CompressedNamesAndCallCostsAreHandled()
    {
        const string text = """
            version: 1
            positions: line
            events: Ir
            summary: 1000
            ob=(1) /bin/prog
            fl=(1) prog.c
            fn=(1) main
            3 10
            +1 5
            cfn=(2) kernel
            calls=1 0
            7 900
            fn=(2)
            7 880
            -2 20
            ob=(2) /lib/libc.so.6
            fl=(2) ???
            fn=(3) printf
            0 85
            totals: 1000

            """;
        var functions = CallgrindOutput.Parse(text);
        Assert.Equal(["kernel", "printf", "main"], functions.Select(f => f.Name));
        Assert.Equal(900, functions[0].Instructions);           // 880 + 20, not the 900 inclusive call cost
        Assert.Equal(0.9, functions[0].Share, 3);
        Assert.Equal(15, functions[2].Instructions);
        Assert.Equal("/lib/libc.so.6", functions[1].Object);
    }
}
