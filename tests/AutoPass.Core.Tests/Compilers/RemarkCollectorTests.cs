using AutoPass.Core.Compilers;
using AutoPass.Core.Compilers.Remarks;

namespace AutoPass.Core.Tests.Compilers;

[Trait("Category", "Real")]
public class RemarkCollectorTests
{
    // Line numbers matter: the assertions name them.
    private const string Kernels = """
        __attribute__((noinline)) int cube(int x) { return x * x * x; }
        static int sq(int x) { return x * x; }
        void add(float *restrict a, const float *restrict b, int n) {
          for (int i = 0; i < n; i++) a[i] += b[i];
        }
        void prefix(float *a, int n) {
          for (int i = 1; i < n; i++) a[i] = a[i - 1] + a[i];
        }
        int sumsq(const int *v, int n) {
          int s = 0;
          for (int i = 0; i < n; i++) s += sq(v[i]) + cube(v[i]);
          return s;
        }

        """;

    private static async Task<RemarkDigest> CollectAsync(CompilerInfo compiler, params string[] flags)
    {
        string dir = InstalledCompilers.ScratchDirectory("remarks");
        try
        {
            string source = Path.Combine(dir, "kernels.c");
            await File.WriteAllTextAsync(source, Kernels);
            return await RemarkCollector.CollectAsync(compiler, [source], flags);
        }
        finally { Directory.Delete(dir, true); }
    }

    private static void AssertSaysWhatTheCodeIs(RemarkDigest digest)
    {
        var add = Assert.Single(digest.Find("add")!.Loops);
        Assert.Equal(4, add.Line);
        Assert.True(add.Vectorized, digest.ToText());

        // A loop-carried dependence (a[i] needs a[i-1]) blocks vectorization, and the digest says why.
        var prefix = Assert.Single(digest.Find("prefix")!.Loops, l => l.Line == 7);
        Assert.False(prefix.Vectorized, digest.ToText());
        Assert.False(string.IsNullOrWhiteSpace(prefix.NotVectorizedBecause));

        var calls = digest.Find("sumsq")!.Calls;
        Assert.Contains(calls, c => c.Callee == "sq" && c.Inlined);
        Assert.Contains(calls, c => c.Callee == "cube" && !c.Inlined && !string.IsNullOrWhiteSpace(c.Reason));
    }

    [Fact]
    public async Task Gcc_DigestSaysVectorizedDependenceAndInlining()
    {
        var digest = await CollectAsync(await InstalledCompilers.Gcc(), "-O3");
        AssertSaysWhatTheCodeIs(digest);
        Assert.Contains("add:", digest.ToText());
    }

    [Fact]
    public async Task Clang_DigestSaysVectorizedDependenceAndInlining()
    {
        var digest = await CollectAsync(await InstalledCompilers.Clang(), "-O3");
        AssertSaysWhatTheCodeIs(digest);
        Assert.True(digest.Find("add")!.Loops.Single().Unrolled, digest.ToText());
    }

    [Fact]
    public async Task Diff_NamesTheLoopAFlagStoppedVectorizing()
    {
        var gcc = await InstalledCompilers.Gcc();
        var vectorized = await CollectAsync(gcc, "-O3");
        var scalar = await CollectAsync(gcc, "-O3", "-fno-tree-vectorize");
        var changes = vectorized.Diff(scalar);
        Assert.Contains(changes, c => c.Function == "add" && c.Subject.EndsWith(":4", StringComparison.Ordinal) && c.Before == "vectorized" && c.After != "vectorized");
        Assert.Empty(vectorized.Diff(vectorized));
    }

    [Fact]
    public void ClangYaml_QuotedValuesAndMultipleDocumentsParse()
    {
        const string yaml = """
            --- !Missed
            Pass:            inline
            Name:            NoDefinition
            DebugLoc:        { File: 'a b.c', Line: 12, Column: 3 }
            Function:        '_Z3runv'
            Args:
              - Callee:          ext
              - String:          ' will not be inlined into '
              - Caller:          '_Z3runv'
                DebugLoc:        { File: 'a b.c', Line: 10, Column: 0 }
              - String:          ' because its definition is unavailable'
            ...
            --- !Passed
            Pass:            loop-vectorize
            Name:            Vectorized
            DebugLoc:        { File: 'a b.c', 
                               Line: 14, Column: 5 }
            Function:        '_Z3runv'
            Args:
              - String:          'vectorized loop (vectorization width: '
              - VectorizationFactor: '8'
              - String:          ', interleaved count: '
              - InterleaveCount: '2'
              - String:          ')'
            ...

            """;
        var remarks = ClangOptRecordParser.Parse(yaml);
        Assert.Equal(2, remarks.Count);
        Assert.Equal(("_Z3runv", "a b.c", 12, "ext"), (remarks[0].Function, remarks[0].File, remarks[0].Line, remarks[0].Callee));
        Assert.Equal("ext will not be inlined into _Z3runv because its definition is unavailable", remarks[0].Message);
        var digest = RemarkDigest.From(remarks);
        var loop = Assert.Single(digest.Functions.Single().Loops);
        Assert.Equal(14, loop.Line); // the DebugLoc was wrapped over two lines
        Assert.Equal("vectorization width: 8, interleaved count: 2", loop.VectorDetail);
    }
}
