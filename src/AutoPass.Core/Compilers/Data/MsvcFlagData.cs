namespace AutoPass.Core.Compilers.Data;

/// <summary>
/// MSVC's tunable options, kept as JSON data (cl.exe cannot be probed on Linux CI and has no -Q --help). Compiled in
/// as a string rather than an embedded resource so the data needs no project-file change; the loader and the
/// well-formedness test treat it as any JSON file. Each entry: kind Toggle (name / name-), Enum (name + value;
/// the name carries its separator) or Parameter; unsafe/machineSpecific mark what the policy gates.
/// </summary>
internal static class MsvcFlagData
{
    public const string Json = """
    [
      { "name": "/O1", "kind": "Toggle", "baseline": false, "note": "minimize size; exclusive with /O2" },
      { "name": "/O2", "kind": "Toggle", "baseline": true, "note": "maximize speed" },
      { "name": "/Ob", "kind": "Enum", "values": ["0", "1", "2", "3"], "baselineValue": "2", "note": "inline expansion level" },
      { "name": "/Oi", "kind": "Toggle", "baseline": true, "note": "intrinsic functions" },
      { "name": "/Ot", "kind": "Toggle", "baseline": true, "note": "favor fast code" },
      { "name": "/Oy", "kind": "Toggle", "baseline": false, "note": "frame-pointer omission (x86 only)" },
      { "name": "/GL", "kind": "Toggle", "baseline": false, "note": "whole-program optimization (needs /LTCG at link, added by the build)" },
      { "name": "/Gy", "kind": "Toggle", "baseline": false, "note": "function-level linking" },
      { "name": "/Gw", "kind": "Toggle", "baseline": false, "note": "optimize global data" },
      { "name": "/GS", "kind": "Toggle", "baseline": true, "hardening": true, "note": "buffer security check; never turned off by tuning" },
      { "name": "/fp:", "kind": "Enum", "values": ["precise", "strict", "fast"], "baselineValue": "precise", "unsafeValues": ["fast"], "note": "floating-point model" },
      { "name": "/arch:", "kind": "Enum", "values": ["SSE2", "AVX", "AVX2", "AVX512"], "baselineValue": "SSE2", "machineSpecific": true, "note": "instruction set" },
      { "name": "/favor:", "kind": "Enum", "values": ["blend", "INTEL64", "AMD64", "ATOM"], "baselineValue": "blend", "note": "tuning only; code runs everywhere" },
      { "name": "/Qpar", "kind": "Toggle", "baseline": false, "note": "auto-parallelizer" },
      { "name": "/Qvec", "kind": "Toggle", "baseline": true, "note": "auto-vectorizer" },
      { "name": "/Qspectre", "kind": "Toggle", "baseline": false, "hardening": true, "note": "mitigation; never changed by tuning" }
    ]
    """;
}
