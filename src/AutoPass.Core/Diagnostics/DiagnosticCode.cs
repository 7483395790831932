using System.Reflection;

namespace AutoPass.Core.Diagnostics;

/// <summary>
/// Every diagnostic AutoPass emits. Grouped: AP1xxx input/configuration, AP2xxx measurement/noise,
/// AP3xxx agents/Ollama, AP4xxx build/compiler, AP5xxx pinning/verify. Each has its entry in docs/diagnostics.md
/// (a test keeps the page and the codes in step), and every message printed with a code links to it.
/// </summary>
internal static class DiagnosticCode
{
    /// <summary>docs/diagnostics.md at the project's public home (AutoPassRepositoryUrl in Directory.Build.props).</summary>
    public static string Page { get; } = typeof(DiagnosticCode).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AutoPassDiagnosticsPage").Value!;

    /// <summary>The entry of <paramref name="code"/> on the diagnostics page, e.g. ...docs/diagnostics.md#ap1030.</summary>
    public static string HelpLink(string code) => $"{Page}#{code.ToLowerInvariant()}";

    // AP1xxx: input and configuration
    public const string NoBenchmark = "AP1001";
    public const string SourceDirMissing = "AP1002";
    public const string BenchmarkTargetMissing = "AP1003";
    public const string InvalidSetting = "AP1004";
    public const string RequestUnreadable = "AP1005";
    public const string ForbiddenBaselineFlag = "AP1006";
    public const string ForbiddenCMakeArgsFlag = "AP1050";
    public const string OutputFileRefused = "AP1051";
    public const string Cancelled = "AP1007";
    /// <summary>Raised by the MSBuild task (which has no reference to the engine): AutoPassCliPath names no autopass.dll.</summary>
    public const string CliMissing = "AP1008";

    // issue 16 (pinning)
    public const string FileAccessFailed = "AP1020";
    public const string UnexpectedFailure = "AP1021";

    // issue 16 (session)
    public const string SessionInProgress = "AP1030";

    // issue 16 (ledger)
    /// <summary>Ledger lines that could not be read (cut short by a kill, or of another shape) were skipped.</summary>
    public const string LedgerLinesSkipped = "AP1040";

    // The shared trial store (AutoPassStore)
    /// <summary>AutoPassStore is not a PostgreSQL connection string.</summary>
    public const string StoreAddressInvalid = "AP1060";
    /// <summary>The store was made by a newer AutoPass, whose tables this one does not know.</summary>
    public const string StoreSchemaNewer = "AP1061";
    /// <summary>AutoPassWorker (or autopass conclude) without AutoPassStore: workers share their campaign through the store.</summary>
    public const string WorkerWithoutStore = "AP1062";
    /// <summary>autopass replay --store was given a workers' campaign in which no batch was proposed: nothing to replay.</summary>
    public const string WorkersCampaignWithoutBatches = "AP1063";

    // AP2xxx: measurement and noise
    public const string BenchmarkFailed = "AP2001";
    public const string BenchmarkCrashed = "AP2002";
    public const string BenchmarkTimedOut = "AP2003";
    public const string NoisyMachine = "AP2004";
    public const string BenchmarkTooShort = "AP2005";
    public const string UnresolvableEffect = "AP2006";
    public const string BaselineDrift = "AP2007";
    public const string ProxyObjective = "AP2008";
    public const string SlowFirstRun = "AP2009";
    public const string ValgrindMissing = "AP2010";
    /// <summary>Hot-file tuning found no profile to go by (no valgrind, nothing mapped): the whole project is tuned.</summary>
    public const string NoHotFileProfile = "AP2011";
    /// <summary>The time budget ran out before any candidate was timed: the baseline, profile and calibration took it.</summary>
    public const string BudgetSpentBeforeSearch = "AP2012";

    // issue 16 (processes)
    public const string BenchmarkOutputTooLarge = "AP2020";
    public const string BenchmarkLeftOutputOpen = "AP2021";

    /// <summary>The candidate's effect moved during the confirmation and stayed unstable: the claim is the conservative regime's.</summary>
    public const string EffectMoved = "AP2030";
    // autopass recheck: the pinned claim measured again on today's machine
    /// <summary>The pinned speedup no longer holds: the re-measured lower bound is under 1 + the minimum effect, or the re-measured interval lies wholly outside the pinned one.</summary>
    public const string PinnedClaimNotHeld = "AP2040";
    /// <summary>The pinned build computes something other than the baseline (or fails) when rechecked.</summary>
    public const string PinnedBuildOutputDiffers = "AP2041";
    // The shared trial store (AutoPassStore): where a session's evidence goes
    /// <summary>The store could not be reached when the session or replay started.</summary>
    public const string StoreUnreachable = "AP2060";
    /// <summary>The store stopped answering mid-session and did not come back within the retry window.</summary>
    public const string StoreLost = "AP2061";
    /// <summary>A worker's store stopped answering and did not come back within the retry window: the worker stops.</summary>
    public const string WorkerStoreLost = "AP2062";
    /// <summary>autopass conclude found another worker concluding the class, its lease still running.</summary>
    public const string ConclusionHeld = "AP2063";
    /// <summary>autopass conclude found no trial of this machine class in the campaign.</summary>
    public const string NothingToConclude = "AP2064";

    // AP3xxx: agents and Ollama
    public const string OllamaUnavailable = "AP3001";
    public const string OllamaModelMissing = "AP3002";
    public const string AgentReplyInvalid = "AP3003";

    // AP4xxx: build and compiler
    public const string CMakeMissing = "AP4001";
    public const string CompilerMissing = "AP4002";
    public const string BaselineBuildFailed = "AP4003";
    public const string ConfigureFailed = "AP4004";
    public const string CompilerProbeFailed = "AP4005";

    // issue 16 (processes)
    public const string BuildTimedOut = "AP4020";
    public const string CompilerTimedOut = "AP4021";

    // AP5xxx: pinning and verify
    public const string OutputDirUnwritable = "AP5001";
    public const string PinnedStale = "AP5002";
    public const string PinnedFlagRejected = "AP5003";
    public const string LockFileInvalid = "AP5004";
    public const string NothingPinned = "AP5005";

    // issue 16 (pinning)
    public const string PinnedFilesUnwritten = "AP5006";
    public const string PinnedFlagForbidden = "AP5007";
    public const string PinnedFilesDisagree = "AP5008";
    public const string PinnedSetMixed = "AP5009";

    // issue 14 (per-file pinning)
    /// <summary>A source file the lock pins flags for is no longer there (moved or deleted).</summary>
    public const string PinnedFileMissing = "AP5010";
    /// <summary>A source file the lock pins flags for has changed since tuning: its flags may be stale.</summary>
    public const string PinnedFileChanged = "AP5011";

    /// <summary>autopass.cmake or autopass.props is not what the lock file renders: a line was added, removed or changed.</summary>
    public const string PinnedFileNotRendered = "AP5020";
    /// <summary>The build compiles with another compiler than the pinned set was tuned for: the pinned files leave the flags out.</summary>
    public const string PinnedSetForOtherCompiler = "AP5021";
    /// <summary>A lock file names a source file outside the project, or one that is no regular file.</summary>
    public const string PinnedPathRefused = "AP5022";

    // issue 30 (one pinned set per machine class)
    /// <summary>A machine class name that cannot name a folder or go into the pinned files as it is.</summary>
    public const string MachineClassInvalid = "AP5030";
    /// <summary>The machine class a build asks for has no pinned set.</summary>
    public const string MachineClassUnknown = "AP5031";
    /// <summary>A class's set is not the class the top-level lock lists it as.</summary>
    public const string MachineClassMismatch = "AP5032";
    /// <summary>A set without a class would be pinned into a folder that holds sets per machine class.</summary>
    public const string MachineClassRequired = "AP5033";
    /// <summary>A folder under autopass/classes/ that the top-level lock does not list: no build uses it.</summary>
    public const string MachineClassUnlisted = "AP5034";
}
