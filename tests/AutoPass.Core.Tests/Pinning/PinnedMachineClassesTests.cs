using System.Xml.Linq;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Pinning.Staleness;

namespace AutoPass.Core.Tests.Pinning;

/// <summary>One pinned set per machine class: what the folder holds after each pin, and what the top-level files choose by.</summary>
public sealed class PinnedMachineClassesTests : IDisposable
{
    private static readonly LockMachineClass Epyc = new("x86_64-epyc-gcc12", "AMD EPYC 7763, 64 logical cores, x64, gcc 12.2.0");
    private static readonly LockMachineClass Graviton = new("arm64-graviton3-gcc12", "Graviton3, 64 logical cores, arm64, gcc 12.2.0");

    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-classes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Out => Path.Combine(_dir, "autopass");

    private static LockFile Sample(IReadOnlyList<string> flags) => new()
    {
        Tool = new LockTool("AutoPass", "0.1.0"),
        Compiler = new LockCompiler("gcc", "12.2.0", "[12.0.0, 13.0.0)"),
        Machine = new LockMachine("cpu", 2, "linux", "x64"),
        Baseline = new LockBaseline(["-O3"]),
        Flags = flags,
        Outcome = "improved",
        Reason = "because",
        Policy = new LockPolicy(false, false),
        Speedup = new LockSpeedup(1.07, 1.04, 1.1, 0.95, 40),
        Benchmarks = [],
        Trials = 12,
    };

    private static LockFile ReadLock(string dir) => LockFile.Parse(File.ReadAllText(Path.Combine(dir, PinnedFiles.LockName)));

    private static string Read(string dir, string name) => File.ReadAllText(Path.Combine(dir, name));

    [Fact]
    public void A_set_without_a_class_has_no_class_and_no_dispatch()
    {
        PinnedFiles.Write(Out, Sample(["-funroll-loops"]));

        Assert.DoesNotContain("machineClass", Read(Out, PinnedFiles.LockName), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(PinnedMachineClasses.CMakeVariable, Read(Out, PinnedFiles.CMakeName));
        Assert.DoesNotContain(PinnedMachineClasses.MSBuildProperty, Read(Out, PinnedFiles.PropsName));
        Assert.False(Directory.Exists(Path.Combine(Out, PinnedMachineClasses.ClassesFolder)));
    }

    [Fact]
    public void The_first_class_takes_the_top_level_files_and_says_which_class_they_are_for()
    {
        PinnedFiles.Write(Out, Sample(["-funroll-loops"]), machineClass: Epyc);

        var top = ReadLock(Out);
        Assert.Equal(Epyc, top.MachineClass);
        Assert.Null(top.OtherMachineClasses);
        // One class: no other set to load, but a name with no set is still an error.
        Assert.Contains($"message(FATAL_ERROR \"AP5031: AUTOPASS_MACHINE_CLASS is '${{AUTOPASS_MACHINE_CLASS}}'", Read(Out, PinnedFiles.CMakeName));
        Assert.DoesNotContain("include(\"${CMAKE_CURRENT_LIST_DIR}/classes/", Read(Out, PinnedFiles.CMakeName));
    }

    [Fact]
    public void A_second_class_gets_its_own_folder_and_the_first_class_keeps_its_flags()
    {
        PinnedFiles.Write(Out, Sample(["-funroll-loops"]), machineClass: Epyc);
        PinnedFiles.Write(Out, Sample(["-fno-plt"]), machineClass: Graviton);

        var top = ReadLock(Out);
        Assert.Equal(Epyc, top.MachineClass);
        Assert.Equal(["-funroll-loops"], top.Flags);
        Assert.Equal([Graviton.Name], top.OtherMachineClasses);
        string graviton = PinnedMachineClasses.SetDir(Out, Graviton.Name);
        var second = ReadLock(graviton);
        Assert.Equal(Graviton, second.MachineClass);
        Assert.Equal(["-fno-plt"], second.Flags);
        Assert.Null(second.OtherMachineClasses);
        Assert.Contains("set(AUTOPASS_FLAGS \"-O3\" \"-funroll-loops\")", Read(Out, PinnedFiles.CMakeName));
        Assert.Contains($"include(\"${{CMAKE_CURRENT_LIST_DIR}}/classes/{Graviton.Name}/autopass.cmake\")", Read(Out, PinnedFiles.CMakeName));
        Assert.Contains("set(AUTOPASS_FLAGS \"-O3\" \"-fno-plt\")", Read(graviton, PinnedFiles.CMakeName));
        // The class's own files are a plain set: no dispatch of their own.
        Assert.DoesNotContain(PinnedMachineClasses.CMakeVariable, Read(graviton, PinnedFiles.CMakeName));
        // Every set is one set and exactly what its lock renders.
        foreach (var (dir, topLevel) in new[] { (Out, true), (graviton, false) })
        {
            Assert.Empty(PinnedSetConsistency.Check(dir, ReadLock(dir)));
            Assert.Empty(PinnedFilesRendered.Check(dir, _dir, ReadLock(dir), topLevel));
        }
    }

    [Fact]
    public void Pinning_either_class_again_keeps_the_other()
    {
        PinnedFiles.Write(Out, Sample(["-funroll-loops"]), machineClass: Epyc);
        PinnedFiles.Write(Out, Sample(["-fno-plt"]), machineClass: Graviton);
        string graviton = PinnedMachineClasses.SetDir(Out, Graviton.Name);
        string gravitonLock = Read(graviton, PinnedFiles.LockName);

        PinnedFiles.Write(Out, Sample(["-fpeel-loops"]), machineClass: Epyc);
        Assert.Equal(["-fpeel-loops"], ReadLock(Out).Flags);
        Assert.Equal([Graviton.Name], ReadLock(Out).OtherMachineClasses);
        Assert.Equal(gravitonLock, Read(graviton, PinnedFiles.LockName));

        string topLock = Read(Out, PinnedFiles.LockName);
        PinnedFiles.Write(Out, Sample(["-fno-semantic-interposition"]), machineClass: Graviton);
        Assert.Equal(["-fno-semantic-interposition"], ReadLock(graviton).Flags);
        Assert.Equal(topLock, Read(Out, PinnedFiles.LockName));
    }

    [Fact]
    public void The_props_import_another_class_and_gate_the_defaults_items_on_the_chosen_class()
    {
        PinnedFiles.Write(Out, Sample(["-funroll-loops"]), machineClass: Epyc);
        PinnedFiles.Write(Out, Sample(["-fno-plt"]), machineClass: Graviton);

        var props = XDocument.Load(Path.Combine(Out, PinnedFiles.PropsName)).Root!;
        var import = Assert.Single(props.Elements("Import"));
        Assert.Equal($"$(MSBuildThisFileDirectory)classes\\{Graviton.Name}\\autopass.props", (string?)import.Attribute("Project"));
        Assert.Equal($"'$(_AutoPassMachineClass)' == '{Graviton.Name}'", (string?)import.Attribute("Condition"));
        Assert.StartsWith($"'$(_AutoPassMachineClass)' == '{Epyc.Name}' and ", (string?)props.Element("ItemDefinitionGroup")!.Attribute("Condition"));
        var error = props.Elements("Target").Single(t => (string?)t.Attribute("Name") == "_AutoPassUnknownMachineClass").Element("Error")!;
        Assert.Equal("AP5031", (string?)error.Attribute("Code"));
        Assert.Contains($"The pinned classes: {Epyc.Name} (the default), {Graviton.Name}.", (string?)error.Attribute("Text"));
        // The class's own props are a plain set, importable on their own.
        var own = XDocument.Load(Path.Combine(PinnedMachineClasses.SetDir(Out, Graviton.Name), PinnedFiles.PropsName)).Root!;
        Assert.Empty(own.Elements("Import"));
        Assert.Equal("'$(_AutoPassFlagsApply)' == 'true'", (string?)own.Element("ItemDefinitionGroup")!.Attribute("Condition"));
    }

    [Fact]
    public void A_set_without_a_class_into_a_folder_of_classes_is_AP5033_and_changes_nothing()
    {
        PinnedFiles.Write(Out, Sample(["-funroll-loops"]), machineClass: Epyc);
        string before = Read(Out, PinnedFiles.LockName);

        var e = Assert.Throws<AutoPassException>(() => PinnedFiles.Write(Out, Sample(["-fno-plt"])));

        Assert.Equal(DiagnosticCode.MachineClassRequired, e.Code);
        Assert.Contains(Epyc.Name, e.Message);
        Assert.Equal(before, Read(Out, PinnedFiles.LockName));
        Assert.Equal(DiagnosticCode.MachineClassRequired, Assert.Throws<AutoPassException>(() => PinnedMachineClasses.CheckCanPin(Out, null)).Code);
        PinnedMachineClasses.CheckCanPin(Out, Graviton.Name);
    }

    [Theory]
    [InlineData("X86")]
    [InlineData("a b")]
    [InlineData("../up")]
    [InlineData(".hidden")]
    [InlineData("")]
    public void A_class_name_that_cannot_be_a_folder_or_go_into_the_files_is_AP5030(string name)
    {
        var e = Assert.Throws<AutoPassException>(() => PinnedFiles.Write(Out, Sample([]), machineClass: new LockMachineClass(name, "d")));

        Assert.Equal(DiagnosticCode.MachineClassInvalid, e.Code);
        Assert.False(File.Exists(Path.Combine(Out, PinnedFiles.LockName)));
        Assert.True(PinnedMachineClasses.IsValidName(PinnedMachineClasses.NameFrom(name)));
    }

    [Theory]
    [InlineData("AMD EPYC 7763 64-Core Processor|64|gcc 14.2.0", "amd-epyc-7763-64-core-processor-64-gcc-14.2.0")]
    [InlineData("  ..Neoverse-V1  ", "neoverse-v1")]
    [InlineData("???", "machine")]
    public void Any_text_makes_a_valid_class_name(string text, string expected) =>
        Assert.Equal(expected, PinnedMachineClasses.NameFrom(text));

    [Fact]
    public void An_unknown_class_is_AP5031_naming_the_pinned_classes_and_unset_chooses_the_first()
    {
        PinnedFiles.Write(Out, Sample(["-funroll-loops"]), machineClass: Epyc);
        PinnedFiles.Write(Out, Sample(["-fno-plt"]), machineClass: Graviton);
        var sets = PinnedMachineClasses.Sets(Out, ReadLock(Out), "fix");

        Assert.Equal(Epyc.Name, PinnedMachineClasses.Choose(sets, null).ClassName);
        Assert.Equal(Graviton.Name, PinnedMachineClasses.Choose(sets, Graviton.Name).ClassName);
        var e = Assert.Throws<AutoPassException>(() => PinnedMachineClasses.Choose(sets, "riscv"));
        Assert.Equal(DiagnosticCode.MachineClassUnknown, e.Code);
        Assert.Contains($"the pinned classes are {Epyc.Name} (the default), {Graviton.Name}", e.Message);
    }

    [Fact]
    public void A_class_folder_holding_another_class_is_AP5032()
    {
        PinnedFiles.Write(Out, Sample(["-funroll-loops"]), machineClass: Epyc);
        PinnedFiles.Write(Out, Sample(["-fno-plt"]), machineClass: Graviton);
        string graviton = PinnedMachineClasses.SetDir(Out, Graviton.Name);
        File.WriteAllText(Path.Combine(graviton, PinnedFiles.LockName), Read(graviton, PinnedFiles.LockName).Replace($"\"name\": \"{Graviton.Name}\"", "\"name\": \"other\"", StringComparison.Ordinal));

        var e = Assert.Throws<AutoPassException>(() => PinnedMachineClasses.Sets(Out, ReadLock(Out), "fix"));

        Assert.Equal(DiagnosticCode.MachineClassMismatch, e.Code);
    }

    [Fact]
    public void A_tampered_second_class_set_is_not_what_its_lock_renders()
    {
        PinnedFiles.Write(Out, Sample(["-funroll-loops"]), machineClass: Epyc);
        PinnedFiles.Write(Out, Sample(["-fno-plt"]), machineClass: Graviton);
        string graviton = PinnedMachineClasses.SetDir(Out, Graviton.Name);
        File.AppendAllText(Path.Combine(graviton, PinnedFiles.CMakeName), "execute_process(COMMAND touch /tmp/owned)\n");

        var finding = Assert.Single(PinnedFilesRendered.Check(graviton, _dir, ReadLock(graviton), topLevel: false));

        Assert.Equal(DiagnosticCode.PinnedFileNotRendered, finding.Code);
        Assert.Contains("execute_process", finding.Message);
    }
}
