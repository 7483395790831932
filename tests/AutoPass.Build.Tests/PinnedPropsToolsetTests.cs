using System.Text.Json;
using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Pinning;

namespace AutoPass.Build.Tests;

/// <summary>
/// autopass.props in a Visual C++ project's shape, evaluated by a real `dotnet msbuild`: the flags reach ClCompile only
/// with a toolset of the compiler they were tuned for (never cl.exe's v143), in clang-cl's form with ClangCL, in the
/// configurations of AutoPassBuildTypes. The clang-cl form is checked with the real clang-cl driver.
/// </summary>
public sealed class PinnedPropsToolsetTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private void Pin(LockFile lockFile, LockMachineClass? machineClass = null)
    {
        PinnedFiles.Write(_temp["autopass"], lockFile, machineClass: machineClass);
        // As from Directory.Build.targets: after the project's own definitions; ClCompile stands for the compile target.
        File.WriteAllText(_temp["native.vcxproj"], """
            <Project>
              <ItemDefinitionGroup>
                <ClCompile><AdditionalOptions>/DPROJECT_OWN</AdditionalOptions></ClCompile>
              </ItemDefinitionGroup>
              <Import Project="autopass/autopass.props" />
              <ItemGroup>
                <ClCompile Include="main.c" />
              </ItemGroup>
              <Target Name="ClCompile" />
            </Project>
            """);
    }

    private string Options(string toolset, string configuration = "Release", params string[] more)
    {
        var result = Command.Dotnet(_temp.Path, ["msbuild", "native.vcxproj", "-getItem:ClCompile", $"-p:Configuration={configuration}", $"-p:PlatformToolset={toolset}", .. more]);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.GetProperty("Items").GetProperty("ClCompile")[0].GetProperty("AdditionalOptions").GetString()!;
    }

    [Fact]
    public void Gcc_flags_never_reach_cl_exe_or_clang_cl_and_reach_a_gcc_toolset()
    {
        Pin(TunedLock.For("gcc", ["-O2"], ["-fno-tree-ch", "--param=max-inline-insns-auto=120"]));

        Assert.Equal("/DPROJECT_OWN", Options("v143"));
        Assert.Equal("/DPROJECT_OWN", Options("ClangCL"));
        Assert.Equal("/DPROJECT_OWN -O2 -fno-tree-ch --param=max-inline-insns-auto=120", Options("WSL2_1_0"));

        // Where the compile would run, the project is told why it has none.
        var build = Command.Dotnet(_temp.Path, ["msbuild", "native.vcxproj", "-t:ClCompile", "-p:Configuration=Release", "-p:PlatformToolset=v143", "-nologo"]);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("AutoPass: the pinned flags are left out: they were tuned for gcc", build.Output);
        Assert.Contains("this project builds with the toolset 'v143'", build.Output);
    }

    [Fact]
    public void AutoPassMachineClass_chooses_a_classs_set_the_first_class_is_the_default_and_an_unknown_one_fails_with_AP5031()
    {
        Pin(TunedLock.For("gcc", ["-O2"], ["-fno-tree-ch"]), new LockMachineClass("first", "the first class"));
        Pin(TunedLock.For("gcc", ["-O2"], ["-fno-plt"]), new LockMachineClass("second", "the second class"));

        Assert.Equal("/DPROJECT_OWN -O2 -fno-tree-ch", Options("WSL2_1_0"));
        Assert.Equal("/DPROJECT_OWN -O2 -fno-plt", Options("WSL2_1_0", "Release", "-p:AutoPassMachineClass=second"));
        Assert.Equal("/DPROJECT_OWN -O2 -fno-tree-ch", Options("WSL2_1_0", "Release", "-p:AutoPassMachineClass=first"));
        Assert.Equal("/DPROJECT_OWN", Options("v143", "Release", "-p:AutoPassMachineClass=second"));

        var unknown = Command.Dotnet(_temp.Path, ["msbuild", "native.vcxproj", "-t:ClCompile", "-p:Configuration=Release", "-p:PlatformToolset=WSL2_1_0", "-p:AutoPassMachineClass=riscv", "-nologo"]);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("error AP5031: AutoPassMachineClass is 'riscv', which has no pinned set here. The pinned classes: first (the default), second.", unknown.Output);
    }

    [Fact]
    public void A_classs_hot_files_get_that_classs_flags_only()
    {
        Directory.CreateDirectory(_temp["src"]);
        foreach (var file in new[] { "src/kernel.c", "main.c" }) File.WriteAllText(_temp[file], "int x;\n");
        LockFile HotLock(string flag) => TunedLock.For("gcc", ["-O2"], [flag]) with
        {
            Scope = "hot",
            Files = [new LockSourceFile("src/kernel.c", [flag], LockSourceFile.HashOf(_temp["src/kernel.c"]))],
        };
        PinnedFiles.Write(_temp["autopass"], HotLock("-fno-tree-ch"), _temp.Path, new LockMachineClass("first", "the first class"));
        PinnedFiles.Write(_temp["autopass"], HotLock("-fno-plt"), _temp.Path, new LockMachineClass("second", "the second class"));
        File.WriteAllText(_temp["native.vcxproj"], """
            <Project>
              <ItemDefinitionGroup>
                <ClCompile><AdditionalOptions>/DPROJECT_OWN</AdditionalOptions></ClCompile>
              </ItemDefinitionGroup>
              <ItemGroup>
                <ClCompile Include="src/kernel.c" />
                <ClCompile Include="main.c" />
              </ItemGroup>
              <Import Project="autopass/autopass.props" />
              <Target Name="ClCompile" />
            </Project>
            """);
        Dictionary<string, string> Items(params string[] more)
        {
            var result = Command.Dotnet(_temp.Path, ["msbuild", "native.vcxproj", "-getItem:ClCompile", "-p:Configuration=Release", "-p:PlatformToolset=WSL_1_0", .. more]);
            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = JsonDocument.Parse(result.Output);
            return json.RootElement.GetProperty("Items").GetProperty("ClCompile").EnumerateArray()
                .ToDictionary(i => i.GetProperty("Identity").GetString()!.Replace('\\', '/'), i => i.GetProperty("AdditionalOptions").GetString()!);
        }

        var second = Items("-p:AutoPassMachineClass=second");
        Assert.Equal("/DPROJECT_OWN -O2 -fno-plt", second["src/kernel.c"]);
        Assert.Equal("/DPROJECT_OWN -O2", second["main.c"]);
        Assert.Equal("/DPROJECT_OWN -O2 -fno-tree-ch", Items()["src/kernel.c"]);
    }

    [Fact]
    public void Clang_flags_reach_ClangCL_in_the_form_clang_cl_takes_and_the_driver_accepts_them()
    {
        Pin(TunedLock.For("clang", ["-O2"], ["-funroll-loops", "-fno-plt", "-mllvm", "-unroll-threshold=300"]));

        Assert.Equal("/DPROJECT_OWN", Options("v143"));
        string clangCl = Options("ClangCL");
        Assert.Equal("/DPROJECT_OWN /clang:-O2 /clang:-funroll-loops /clang:-fno-plt /clang:-mllvm /clang:-unroll-threshold=300", clangCl);
        Assert.Equal("/DPROJECT_OWN -O2 -funroll-loops -fno-plt -mllvm -unroll-threshold=300", Options("WSL_Clang_1_0"));

        // The real clang-cl takes them without a word; the flags as they are, it would ignore.
        var accepted = CompileWithClangCl(clangCl.Replace("/DPROJECT_OWN ", ""));
        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        Assert.DoesNotContain("unknown argument", accepted.Output);
        Assert.DoesNotContain("unused", accepted.Output);
        var bare = CompileWithClangCl("-O2 -funroll-loops -fno-plt");
        Assert.Contains("unknown argument ignored in clang-cl: '-funroll-loops'", bare.Output);
    }

    private CommandResult CompileWithClangCl(string options)
    {
        string driver = new[] { "clang-cl", "clang-cl-14", "clang-cl-15", "clang-cl-16" }
            .Select(name => Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists))
            .FirstOrDefault(path => path is not null)
            ?? throw new InvalidOperationException("clang-cl is not on PATH. These tests need it: apt-get install -y clang.");
        File.WriteAllText(_temp["main.c"], "int sum(int n) { int s = 0; for (int i = 0; i < n; i++) s += i; return s; }\n");
        return Command.Run(driver, [.. options.Split(' '), "-c", "main.c", "-Fo" + _temp["main.obj"]], _temp.Path, null, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void AutoPassBuildTypes_decides_the_configurations_and_the_session_s_build_types_are_the_default()
    {
        Pin(TunedLock.For("gcc", ["-O2"], ["-funroll-loops"]) with { BuildTypes = ["RelWithDebInfo", "Profile"] });
        const string WithFlags = "/DPROJECT_OWN -O2 -funroll-loops";

        Assert.Equal(WithFlags, Options("WSL_1_0", "Profile"));
        Assert.Equal(WithFlags, Options("WSL_1_0", "relwithdebinfo"));
        Assert.Equal("/DPROJECT_OWN", Options("WSL_1_0", "Release"));
        Assert.Equal(WithFlags, Options("WSL_1_0", "Release", "-p:AutoPassBuildTypes=\"Release;Profile\""));
        Assert.Equal("/DPROJECT_OWN", Options("WSL_1_0", "Profile", "-p:AutoPassBuildTypes=Release"));
        Assert.Equal("/DPROJECT_OWN", Options("WSL_1_0", "Profile", "-p:AutoPassEnabled=false"));
    }
}
