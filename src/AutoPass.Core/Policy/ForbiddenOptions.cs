namespace AutoPass.Core.Policy;

/// <summary>
/// Options that never reach a command line, whatever the opt-ins, each family with the reason shown to the user.
/// Matching is by prefix on the option name; -f options are matched in their positive form, so "-fno-stack-protector"
/// is caught as the hardening option it switches off.
/// </summary>
internal static class ForbiddenOptions
{
    /// <summary>Driver options outside the -f family, by prefix.</summary>
    public static readonly (string Prefix, string Reason)[] Driver =
    [
        ("-Wl,", "passes options to the linker"), ("-Xlinker", "passes options to the linker"),
        ("-Wa,", "passes options to the assembler"), ("-Xassembler", "passes options to the assembler"),
        ("-Wp,", "passes options to the preprocessor"), ("-Xpreprocessor", "passes options to the preprocessor"),
        ("-Xclang", "passes unchecked options to the compiler front end"), ("-Xarch", "passes unchecked options"),
        ("-Xopenmp", "passes unchecked options"), ("-Xcuda", "passes unchecked options"),
        ("-wrapper", "runs another program around the compiler"), ("-B", "loads compiler programs from a path"),
        ("-specs", "loads a specs file, which can run programs"), ("--specs", "loads a specs file, which can run programs"),
        ("-load", "loads code into the compiler"), ("--ld-path", "chooses the linker program"),
        ("--output", "writes an arbitrary path"), ("-o", "writes an arbitrary path"),
        ("-include", "reads an arbitrary file"), ("--include", "reads an arbitrary file"), ("-imacros", "reads an arbitrary file"),
        ("-isystem", "adds a header path"), ("-iquote", "adds a header path"), ("-idirafter", "adds a header path"),
        ("-iprefix", "adds a header path"), ("-iwithprefix", "adds a header path"), ("-isysroot", "changes the system root"),
        ("--sysroot", "changes the system root"), ("-I", "adds a header path"), ("-L", "adds a library path"),
        ("-l", "changes the link"), ("-x", "changes the source language"), ("-D", "defines macros"), ("-U", "undefines macros"),
        ("-M", "writes dependency files"), ("-save-temps", "writes files"), ("-dump", "writes files"), ("-d", "writes compiler dumps"),
        ("-shared", "changes the link"), ("-static", "changes the link"), ("-pie", "changes the link"), ("-no-pie", "changes the link"),
        ("-nostdlib", "changes the link"), ("-nostartfiles", "changes the link"), ("-nodefaultlibs", "changes the link"),
        ("-rdynamic", "changes the link"), ("-pthread", "changes the link"), ("-pg", "adds profiling instrumentation"),
        ("-g", "debug information is not an optimization option"), ("-W", "warnings are not optimization options"),
        ("-std", "changes the language"), ("-ansi", "changes the language"), ("-stdlib", "changes the runtime library"),
        ("-rtlib", "changes the runtime library"), ("--rtlib", "changes the runtime library"), ("-print", "not a compile option"),
    ];

    /// <summary>
    /// -f options (positive form) that load or run code, hand a command line to another program, or read or write
    /// files outside the build's own outputs, by prefix. These are refused from every source, build settings included.
    /// </summary>
    public static readonly (string Prefix, string Reason)[] FReachesOutside =
    [
        // Loads or runs code, or hands another command line to a compiler or tool.
        ("-fplugin", "loads code into the compiler"), ("-fpass-plugin", "loads code into the compiler"),
        ("-fuse-ld", "chooses the linker program"), ("-fuse-lipo", "chooses a tool program"),
        ("-fintegrated-", "chooses how the compiler runs its programs"),
        ("-fcompare-debug", "runs the compiler a second time with another command line"),
        ("-foffload", "passes options to another compiler"), ("-fthinlto-", "reads files or runs a distributor program"),
        ("-fexperimental-", "experimental options are unchecked, some read files"), ("-fdriver-only", "not a compile option"),
        ("-fself-test", "runs the compiler's self tests from a path"), ("-flinker-output", "changes the link"),
        ("-fresolution", "reads a file"), ("-fltrans", "link-time optimization internals read and write files"),
        ("-fwpa", "link-time optimization internals read and write files"),
        ("-flto-incremental", "writes a cache directory"),
        // Reads or writes files named by a value, or files at run time.
        ("-fdump-", "writes files"), ("-fopt-info", "writes files"), ("-fsave-optimization-record", "writes files"),
        ("-foptimization-record-", "writes files"), ("-fprofile", "reads or writes profile files"), ("-fauto-profile", "reads profile files"),
        ("-fbranch-probabilities", "reads profile files"), ("-fcs-profile", "writes profile files"), ("-fcreate-profile", "writes profile files"),
        ("-fmemory-profile", "reads or writes profile files"), ("-fcoverage", "writes coverage files"), ("-ftest-coverage", "writes coverage files"),
        ("-fcondition-coverage", "writes coverage files"), ("-fpath-coverage", "writes coverage files"),
        ("-fcrash-diagnostics", "writes files"), ("-ftime-trace", "writes files"), ("-fproc-stat-report", "writes files"),
        ("-fbasic-block-sections", "reads a list file"), ("-fthin-link-bitcode", "writes files"), ("-freport-bug", "writes files"),
        ("-fsave-mixins", "writes files"), ("-fdoc", "writes documentation files"), ("-fmake-", "writes dependency files"),
        ("-fgo-", "writes files"), ("-fada-spec-parent", "writes files"), ("-fintrinsic-modules-path", "reads files from a path"),
        ("-fbuild-session", "reads a file"),
    ];

    /// <summary>-f options (positive form) a build may use that are no optimization choice: reports, debug information, inputs.</summary>
    public static readonly (string Prefix, string Reason)[] FNotOptimization =
    [
        ("-fcallgraph-info", "writes files"), ("-fstack-usage", "writes files"), ("-fdiagnostics-", "not an optimization option"),
        ("-fmodule", "reads module files"), ("-fimplicit-module", "reads module files"), ("-fprebuilt-module", "reads module files"),
        ("-fpch", "reads precompiled headers"), ("-fdeps-", "writes dependency files"), ("-fdepfile", "writes dependency files"),
        ("-ftime-report", "writes reports"), ("-fmem-report", "writes reports"), ("-fpre-ipa-mem-report", "writes reports"),
        ("-fpost-ipa-mem-report", "writes reports"), ("-fstats", "writes reports"),
        ("-fdebug-prefix-map", "rewrites paths"), ("-fmacro-prefix-map", "rewrites paths"), ("-ffile-prefix-map", "rewrites paths"),
        ("-fcanon-prefix-map", "rewrites paths"), ("-fdebug-compilation-dir", "rewrites paths"), ("-ffile-compilation-dir", "rewrites paths"),
        ("-fdebug-", "debug information is not an optimization option"), ("-frecord-", "embeds the command line"),
        ("-fembed-", "embeds intermediate code or files"), ("-fworking-directory", "embeds a path"),
        ("-finput-charset", "changes how sources are read"), ("-fexec-charset", "changes the program's strings"),
        ("-fwide-exec-charset", "changes the program's strings"), ("-fsyntax-only", "compiles nothing"),
        ("-fpreprocessed", "changes how sources are read"), ("-fdirectives-only", "changes how sources are read"),
        ("-frandom-seed", "not an optimization option (names symbols)"),
    ];

    /// <summary>Driver options outside the -f family that load or run code or read arbitrary files, by prefix.</summary>
    public static readonly (string Prefix, string Reason)[] DriverReachesOutside =
    [
        ("-wrapper", "runs another program around the compiler"), ("-B", "loads compiler programs from a path"),
        ("-specs", "loads a specs file, which can run programs"), ("--specs", "loads a specs file, which can run programs"),
        ("-load", "loads code into the compiler"), ("-Xclang", "passes unchecked options to the compiler front end"),
        ("--ld-path", "chooses the linker program"),
    ];

    /// <summary>-f options (positive form) that change semantics, the ABI or hardening, by prefix: not tuned, but a project may set them.</summary>
    public static readonly (string Prefix, string Reason)[] FSemantics =
    [
        // Instrumentation and hardening: security decisions, not optimization choices.
        ("-fsanitize", "adds or removes instrumentation"), ("-finstrument-functions", "adds instrumentation"),
        ("-fxray", "adds instrumentation"), ("-fpatchable-function-entry", "adds instrumentation"),
        ("-fcf-protection", "changes hardening"), ("-fstack-protector", "changes hardening"), ("-fstack-clash-protection", "changes hardening"),
        ("-fstack-check", "changes hardening"), ("-fstack-limit", "changes hardening"), ("-fharden", "changes hardening"),
        ("-fzero-call-used-regs", "changes hardening"), ("-fhardcfr", "changes hardening"), ("-fstrub", "changes hardening"), ("-ftrivial-auto-var-init", "changes hardening"),
        ("-fsplit-stack", "changes the stack model"), ("-fcheck-", "adds run-time checks"), ("-fbounds-check", "adds run-time checks"),
        ("-ftrapv", "makes signed overflow trap"),
        // ABI and language semantics: the program would mean something else, or not link with its libraries.
        ("-fpack-struct", "changes the ABI"), ("-fshort-enums", "changes the ABI"), ("-fshort-wchar", "changes the ABI"),
        ("-freg-struct-return", "changes the ABI"), ("-fpcc-struct-return", "changes the ABI"), ("-fcall-used-", "changes the ABI"),
        ("-fcall-saved-", "changes the ABI"), ("-ffixed-", "changes the ABI"), ("-fabi", "changes the ABI"),
        ("-fleading-underscore", "changes the ABI"), ("-fpic", "changes the code model and link"), ("-fPIC", "changes the code model and link"),
        ("-fpie", "changes the code model and link"), ("-fPIE", "changes the code model and link"), ("-fcommon", "changes linkage"),
        ("-fvisibility", "changes symbol visibility"), ("-fexceptions", "changes exception semantics"),
        ("-fnon-call-exceptions", "changes exception semantics"), ("-fcxx-exceptions", "changes exception semantics"),
        ("-fdelete-dead-exceptions", "changes exception semantics"), ("-frtti", "changes the language"),
        ("-fsigned-char", "changes the language"), ("-funsigned-char", "changes the language"), ("-fsigned-bitfields", "changes the language"),
        ("-funsigned-bitfields", "changes the language"), ("-fms-extensions", "changes the language"), ("-fpermissive", "changes the language"),
        ("-fgnu89-inline", "changes the language"), ("-fopenmp", "changes the language and the link"), ("-fopenacc", "changes the language and the link"),
        ("-ftree-parallelize-loops", "adds threads and a runtime library"), ("-fallow-store-data-races", "may introduce data races"),
        ("-ffreestanding", "changes the language"), ("-fhosted", "changes the language"),
    ];

    /// <summary>Every forbidden -f family: what reaches outside the build first, for the more precise reason.</summary>
    public static readonly (string Prefix, string Reason)[] FFamily = [.. FReachesOutside, .. FNotOptimization, .. FSemantics];

    public static string? DriverReason(string flag)
    {
        foreach (var (prefix, reason) in Driver)
            if (flag.StartsWith(prefix, StringComparison.Ordinal)) return reason;
        return null;
    }

    /// <summary>The reason a -f option (any spelling) is forbidden, or null.</summary>
    public static string? FReason(string flag)
    {
        string name = PositiveName(flag);
        foreach (var (prefix, reason) in FFamily)
            if (name.StartsWith(prefix, StringComparison.Ordinal)) return reason;
        return null;
    }

    /// <summary>
    /// The reason an option that a project's own build settings carry (CMake's CMAKE_C_FLAGS and the like) is refused,
    /// or null: only options that load or run code, hand a command line on, or read or write files outside the build.
    /// </summary>
    public static string? ReachesOutsideReason(string flag)
    {
        if (flag.StartsWith('@')) return "reads a response file, which can hold any option";
        if (flag.Contains("plugin", StringComparison.OrdinalIgnoreCase)) return "loads code into a compiler or linker";
        if (flag.StartsWith("-f", StringComparison.Ordinal))
        {
            string name = PositiveName(flag);
            foreach (var (prefix, reason) in FReachesOutside)
                if (name.StartsWith(prefix, StringComparison.Ordinal)) return reason;
            return null;
        }
        foreach (var (prefix, reason) in DriverReachesOutside)
            if (flag.StartsWith(prefix, StringComparison.Ordinal)) return reason;
        return null;
    }

    /// <summary>"-fno-x=v" → "-fx"; the option's name in its positive form, without a value.</summary>
    public static string PositiveName(string flag)
    {
        int eq = flag.IndexOf('=');
        string name = eq > 0 ? flag[..eq] : flag;
        return name.StartsWith("-fno-", StringComparison.Ordinal) ? "-f" + name["-fno-".Length..] : name;
    }
}
