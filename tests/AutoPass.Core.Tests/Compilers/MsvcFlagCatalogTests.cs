using AutoPass.Core.Compilers;
using AutoPass.Core.Policy;
using NuGet.Versioning;

namespace AutoPass.Core.Tests.Compilers;

public class MsvcFlagCatalogTests
{
    private static readonly CompilerInfo Msvc = new("msvc", new NuGetVersion(19, 40, 0), @"C:\VS\cl.exe", "Microsoft (R) C/C++ Optimizing Compiler Version 19.40");

    [Fact]
    public void Data_IsWellFormed()
    {
        var entries = MsvcFlagCatalog.Entries;
        Assert.NotEmpty(entries);
        Assert.Equal(entries.Count, entries.Select(e => e.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var e in entries)
        {
            Assert.StartsWith("/", e.Name);
            Assert.True(Enum.IsDefined(e.Kind), e.Name);
            if (e.Kind == FlagKind.Enum)
            {
                Assert.NotNull(e.Values);
                Assert.NotEmpty(e.Values);
                Assert.Equal(e.Values.Count, e.Values.Distinct().Count());
                if (e.BaselineValue is not null) Assert.Contains(e.BaselineValue, e.Values);
                Assert.All(e.UnsafeValues ?? [], v => Assert.Contains(v, e.Values));
            }
            else
            {
                Assert.Null(e.Values);
                Assert.Null(e.UnsafeValues);
            }
            if (e.Kind == FlagKind.Toggle) Assert.NotNull(e.Baseline);
            Assert.False(string.IsNullOrWhiteSpace(e.Note), e.Name);
        }
        Assert.Contains("fast", entries.Single(e => e.Name == "/fp:").UnsafeValues!);
        Assert.True(entries.Single(e => e.Name == "/arch:").MachineSpecific);
        Assert.DoesNotContain(entries, e => e.Name.StartsWith("/Qvec-report", StringComparison.Ordinal));
    }

    [Fact]
    public void Data_RejectsUnknownFields()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => MsvcFlagCatalog.Parse("""[{ "name": "/O2", "kind": "Toggle", "unsafe_typo": true }]"""));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => MsvcFlagCatalog.Parse("""[{ "name": "/O2", "kind": "Sometimes" }]"""));
    }

    [Fact]
    public void Catalog_SpellsAndPolicyGatesRiskyValues()
    {
        var catalog = MsvcFlagCatalog.Create(Msvc);
        Assert.Null(catalog.Find("/GS"));                         // hardening is not tunable
        Assert.Equal("/Oi-", catalog.Find("/Oi")!.Toggle(false));
        Assert.Equal(["/Ob3"], catalog.Find("/Ob")!.Spell("3"));
        Assert.Equal(["/fp:fast"], catalog.Find("/fp:")!.Spell("fast"));

        var strict = new FlagPolicy(new PolicyOptions(), catalog);
        Assert.True(strict.Evaluate("/O2").Allowed);
        Assert.True(strict.Evaluate("/Ob3").Allowed);
        Assert.True(strict.Evaluate("/GL").Allowed);
        Assert.True(strict.Evaluate("/fp:precise").Allowed);
        Assert.False(strict.Evaluate("/Ob9").Allowed);
        Assert.False(strict.Evaluate("/GS-").Allowed);
        Assert.False(strict.Evaluate("/Qvec-report:2").Allowed);
        Assert.False(strict.Evaluate("/Fo/tmp/x").Allowed);
        Assert.Contains("AutoPassAllowUnsafeMath", strict.Evaluate("/fp:fast").Reason);
        Assert.Contains("AutoPassAllowMachineSpecific", strict.Evaluate("/arch:AVX2").Reason);

        var permissive = new FlagPolicy(new PolicyOptions(true, true), catalog);
        Assert.True(permissive.Evaluate("/fp:fast").Allowed);
        Assert.True(permissive.Evaluate("/arch:AVX2").Allowed);
        // Without the MSVC catalog, a leading slash is a path.
        Assert.False(new FlagPolicy(new PolicyOptions(true, true)).Evaluate("/O2").Allowed);
    }
}
