using AutoPass.Core.Session;

namespace AutoPass.Core.Tests.Session;

public sealed class MachineClassTests
{
    private static readonly MachineClass Xeon = new("Intel(R) Xeon(R) CPU @ 2.20GHz", 2, 8L << 30, "6.1.0-18-amd64", "gcc", "12.2.0");

    [Fact]
    public void The_key_is_the_cpu_model_cores_and_compiler_as_a_name_of_lower_case_letters_digits_dots_and_dashes()
    {
        Assert.Equal("intel-r-xeon-r-cpu-2.20ghz-2c-gcc-12.2.0", Xeon.Key);
        Assert.Equal("Intel(R) Xeon(R) CPU @ 2.20GHz, 2 cores, gcc 12.2.0", Xeon.Description);
    }

    [Fact]
    public void Memory_and_the_kernel_do_not_split_a_class_but_cores_and_the_compiler_version_do()
    {
        Assert.Equal(Xeon.Key, (Xeon with { MemoryBytes = 16L << 30, Kernel = "6.1.0-21-amd64" }).Key);
        Assert.NotEqual(Xeon.Key, (Xeon with { Cores = 4 }).Key);
        Assert.NotEqual(Xeon.Key, (Xeon with { CompilerVersion = "12.3.0" }).Key);
    }

    [Fact]
    public void A_key_longer_than_64_characters_is_cut_and_ends_in_a_hash_of_the_whole()
    {
        var a = Xeon with { CpuModel = "Very Long Vendor Name Processor Family Generation Seven Model A Extreme Edition" };
        var b = a with { CpuModel = a.CpuModel.Replace("Model A", "Model B", StringComparison.Ordinal) };

        Assert.True(a.Key.Length <= 64, a.Key);
        Assert.Matches("^[a-z0-9][a-z0-9._-]*-[0-9a-f]{8}$", a.Key);
        Assert.NotEqual(a.Key, b.Key);
    }
}
