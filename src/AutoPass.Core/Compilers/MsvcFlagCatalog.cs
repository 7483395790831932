using System.Text.Json;
using System.Text.Json.Serialization;
using AutoPass.Core.Compilers.Data;

namespace AutoPass.Core.Compilers;

/// <summary>One entry of the MSVC data (the JSON shape).</summary>
internal sealed record MsvcFlagEntry(
    string Name,
    FlagKind Kind,
    bool? Baseline = null,
    IReadOnlyList<string>? Values = null,
    string? BaselineValue = null,
    IReadOnlyList<string>? UnsafeValues = null,
    bool Unsafe = false,
    bool MachineSpecific = false,
    bool Hardening = false,
    string? Note = null);

/// <summary>MSVC's tunable options, from data rather than from the compiler.</summary>
internal static class MsvcFlagCatalog
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The entries as stored, including hardening options the catalog leaves out.</summary>
    public static IReadOnlyList<MsvcFlagEntry> Entries { get; } = Parse(MsvcFlagData.Json);

    public static IReadOnlyList<MsvcFlagEntry> Parse(string json) =>
        JsonSerializer.Deserialize<List<MsvcFlagEntry>>(json, Options) ?? throw new JsonException("MSVC flag data is empty.");

    /// <summary>The tunable flags for an MSVC compiler; hardening switches are not tunable and stay out.</summary>
    public static FlagCatalog Create(CompilerInfo compiler) =>
        new(compiler, Entries.Where(e => !e.Hardening).Select(ToDefinition).ToList());

    public static FlagDefinition ToDefinition(MsvcFlagEntry e) => new(
        e.Name, e.Kind, EnabledAtBaseline: e.Baseline, Values: e.Values, Syntax: FlagSyntax.Msvc,
        Risk: (e.Unsafe ? FlagRisk.UnsafeMath : FlagRisk.None) | (e.MachineSpecific ? FlagRisk.MachineSpecific : FlagRisk.None),
        BaselineValue: e.BaselineValue, UnsafeValues: e.UnsafeValues);
}
