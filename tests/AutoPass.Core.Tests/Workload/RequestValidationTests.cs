using AutoPass.Core.Check;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Workload;

/// <summary>
/// The request's compile flags carried in CMake arguments and its declared output files are checked before any work:
/// a flag that loads code or reads or writes files outside the build, and an output file outside the CMake source
/// directory or not a regular file, fail in seconds with their AP code and change nothing.
/// </summary>
[Trait("Category", "Real")]
public sealed class RequestValidationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-validation-").FullName;
    private readonly string _source;

    public RequestValidationTests()
    {
        _source = Path.Combine(_dir, "src");
        Directory.CreateDirectory(_source);
        File.WriteAllText(Path.Combine(_source, "CMakeLists.txt"), "project(x C)\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TuningRequest Request(IReadOnlyList<string>? cmakeArgs = null, IReadOnlyList<string>? outputFiles = null) => new()
    {
        SourceDir = _source,
        OutputDir = Path.Combine(_dir, "autopass"),
        IntermediateDir = Path.Combine(_dir, "obj"),
        Benchmarks = [new BenchmarkSpec("bench", [], OutputFiles: outputFiles)],
        CMakeArgs = cmakeArgs ?? [],
    };

    [Theory]
    [InlineData("-DCMAKE_C_FLAGS=-fplugin=/tmp/x.so", "CMAKE_C_FLAGS", "-fplugin=/tmp/x.so")]
    [InlineData("-DCMAKE_CXX_FLAGS:STRING=-O2 -fcompare-debug=-O1", "CMAKE_CXX_FLAGS", "-fcompare-debug=-O1")]
    [InlineData("-DCMAKE_C_FLAGS_RELEASE=-O3 -B/tmp/evil", "CMAKE_C_FLAGS_RELEASE", "-B/tmp/evil")]
    [InlineData("-DCMAKE_EXE_LINKER_FLAGS=-Wl,-plugin=/tmp/x.so", "CMAKE_EXE_LINKER_FLAGS", "-Wl,-plugin=/tmp/x.so")]
    [InlineData("-DCMAKE_SHARED_LINKER_FLAGS_INIT=@/tmp/args", "CMAKE_SHARED_LINKER_FLAGS_INIT", "@/tmp/args")]
    [InlineData("-DCMAKE_C_COMPILER=gcc;-fplugin=/tmp/x.so", "CMAKE_C_COMPILER", "-fplugin=/tmp/x.so")]
    [InlineData("-DCMAKE_C_FLAGS=-fdump-tree-all=/tmp/x", "CMAKE_C_FLAGS", "-fdump-tree-all=/tmp/x")]
    public void A_CMake_argument_carrying_a_flag_that_reaches_outside_the_build_is_AP1050(string argument, string variable, string flag)
    {
        var e = Assert.Throws<AutoPassException>(() => RequestValidation.Validate(Request(cmakeArgs: [argument])));

        Assert.Equal(DiagnosticCode.ForbiddenCMakeArgsFlag, e.Code);
        Assert.Contains($"AutoPassCMakeArgs sets {variable} with '{flag}'", e.Message);
        Assert.Contains("Remove", e.Fix);
    }

    [Fact]
    public void A_definition_given_as_two_arguments_is_checked_too()
    {
        var e = Assert.Throws<AutoPassException>(() => RequestValidation.Validate(Request(cmakeArgs: ["-D", "CMAKE_C_FLAGS=-wrapper"])));
        Assert.Equal(DiagnosticCode.ForbiddenCMakeArgsFlag, e.Code);
    }

    [Fact]
    public void The_projects_own_build_settings_and_programs_pass() =>
        RequestValidation.Validate(Request(cmakeArgs: [
            "-DCMAKE_C_FLAGS=-Wall -g -DNDEBUG -fdiagnostics-color=always", "-DCMAKE_EXE_LINKER_FLAGS=-Wl,--as-needed",
            "-DCMAKE_C_COMPILER_LAUNCHER=ccache", "-DCMAKE_BUILD_TYPE=Release", "-DSOME_OPTION=-fplugin", "-G", "Ninja"]));

    [Theory]
    [InlineData("../outside.txt", "leaves ")]
    [InlineData("/etc/passwd", "is an absolute path")]
    [InlineData("sub/../../outside.txt", "leaves ")]
    [InlineData("out.fifo", "is not a regular file")]
    [InlineData("linked/result.txt", "is a symbolic link to ")]
    [InlineData("dir", "is a directory")]
    public void A_declared_output_file_outside_the_source_dir_or_not_a_regular_file_is_AP1051_and_nothing_is_deleted(string file, string problem)
    {
        string outside = Path.Combine(_dir, "outside.txt");
        File.WriteAllText(outside, "keep me");
        Assert.Equal(0, Mkfifo(Path.Combine(_source, "out.fifo")));
        Directory.CreateSymbolicLink(Path.Combine(_source, "linked"), _dir);
        Directory.CreateDirectory(Path.Combine(_source, "dir"));

        var e = Assert.Throws<AutoPassException>(() => RequestValidation.Validate(Request(outputFiles: [file])));

        Assert.Equal(DiagnosticCode.OutputFileRefused, e.Code);
        Assert.Contains($"declares the output file '{file}', which {problem}", e.Message);
        Assert.True(File.Exists(outside));
    }

    [Fact]
    public void Output_files_inside_the_source_dir_pass_whether_or_not_they_exist_yet()
    {
        File.WriteAllText(Path.Combine(_source, "result.txt"), "old");
        RequestValidation.Validate(Request(outputFiles: ["result.txt", "out/new.bin", "./x.txt"]));
    }

    [Fact]
    public void The_check_itself_refuses_a_FIFO_the_benchmark_left_instead_of_blocking_on_it_and_deletes_nothing_outside()
    {
        // Request validation saw no FIFO; the benchmark made one where its output file should be.
        var benchmark = new BenchmarkSpec("bench", [], OutputFiles: ["result.out"]);
        Assert.Equal(0, Mkfifo(Path.Combine(_source, "result.out")));

        var read = Assert.Throws<AutoPassException>(() => OutputCheck.ReadOutputFiles(benchmark, _source));
        Assert.Equal(DiagnosticCode.OutputFileRefused, read.Code);
        Assert.Contains("is not a regular file", read.Message);

        string outside = Path.Combine(_dir, "outside.txt");
        File.WriteAllText(outside, "keep me");
        var escaping = new BenchmarkSpec("bench", [], OutputFiles: ["../outside.txt"]);
        Assert.Equal(DiagnosticCode.OutputFileRefused, Assert.Throws<AutoPassException>(() => OutputCheck.ClearOutputFiles(escaping, _source)).Code);
        Assert.True(File.Exists(outside));
    }

    [Fact]
    public void Output_files_are_compared_by_length_and_hash()
    {
        var benchmark = new BenchmarkSpec("bench", [], OutputFiles: ["result.out"]);
        File.WriteAllBytes(Path.Combine(_source, "result.out"), [1, 2, 3]);
        var first = OutputCheck.ReadOutputFiles(benchmark, _source)["result.out"];
        File.WriteAllBytes(Path.Combine(_source, "result.out"), [1, 2, 4]);
        var second = OutputCheck.ReadOutputFiles(benchmark, _source)["result.out"];

        Assert.Equal(3, first.Length);
        Assert.NotEqual(first, second);
        Assert.Equal("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", first.Sha256);
    }

    private static int Mkfifo(string path)
    {
        using var process = System.Diagnostics.Process.Start("mkfifo", [path])!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
