namespace AutoPass.Core.Workload;

/// <summary>Which agent stages a session uses.</summary>
internal enum AgentMode { Auto, Ollama, Builtin }

/// <summary>Which kind of server the model-backed agent stages ask: Ollama, or one speaking OpenAI's chat-completions API.</summary>
internal enum AgentProvider { Ollama, OpenAI }

/// <summary>
/// What is measured: wall time (the truth), or instructions executed under valgrind (deterministic, but only
/// a proxy for time: it misses cache, branch-prediction and layout effects).
/// </summary>
internal enum MeasurementObjective { Time, Instructions }

/// <summary>
/// What candidates change: only the hot source files (the rest keep the baseline flags, and a candidate build recompiles
/// just those), or every file of the project.
/// </summary>
internal enum TuneScope { Hot, Project }

/// <summary>How the built-in stages search: the tuned strategies, or plain random search (the yardstick).</summary>
internal enum SearchMode { Bandit, Random }

/// <summary>
/// Everything a session needs to know, as given by the user (MSBuild properties or the CLI's request file).
/// Immutable; the session never changes it. The user settings' defaults, forms and ranges are in <see cref="TuningSettings"/>.
/// </summary>
internal sealed record TuningRequest
{
    /// <summary>The CMake project (directory holding CMakeLists.txt).</summary>
    public required string SourceDir { get; init; }

    /// <summary>Where the pinned files go (checked in): autopass.props, autopass.cmake, autopass.lock.json.</summary>
    public required string OutputDir { get; init; }

    /// <summary>Scratch space (not checked in): candidate build trees, ledger.jsonl, report.</summary>
    public required string IntermediateDir { get; init; }

    public required IReadOnlyList<BenchmarkSpec> Benchmarks { get; init; }

    /// <summary>The flags every candidate starts from and is measured against.</summary>
    public IReadOnlyList<string> BaselineFlags { get; init; } = TuningSettings.BaselineFlags.Default;

    public int MaxTrials { get; init; } = TuningSettings.MaxTrials.Default;

    /// <summary>Candidates screened together in one race against the baseline (1: one at a time).</summary>
    public int RaceSize { get; init; } = TuningSettings.RaceSize.Default;

    public double MaxMinutes { get; init; } = TuningSettings.MaxMinutes.Default;

    public int Seed { get; init; } = TuningSettings.Seed.Default;

    /// <summary>C compiler to use; null lets CMake find the default (CC, then cc).</summary>
    public string? CCompiler { get; init; }

    /// <summary>C++ compiler to use; null lets CMake find the default.</summary>
    public string? CxxCompiler { get; init; }

    /// <summary>CMake generator; null lets CMake choose (Ninja when on PATH).</summary>
    public string? Generator { get; init; }

    /// <summary>A configure preset of the project's CMakePresets.json; null: none.</summary>
    public string? CMakePreset { get; init; }

    /// <summary>More CMake configure arguments (a toolchain file, cache variables).</summary>
    public IReadOnlyList<string> CMakeArgs { get; init; } = TuningSettings.CMakeArgs.Default;

    /// <summary>The build types the flags apply to; candidates are built and measured in the first.</summary>
    public IReadOnlyList<string> BuildTypes { get; init; } = TuningSettings.BuildTypes.Default;

    /// <summary>false: a plain build leaves the pinned flags out (AutoPassEnabled=false, AUTOPASS_DISABLE=ON).</summary>
    public bool Enabled { get; init; } = TuningSettings.Enabled.Default;

    /// <summary>Smallest speedup worth claiming, as a fraction (0.01 = 1%).</summary>
    public double MinEffect { get; init; } = TuningSettings.MinEffect.Default;

    /// <summary>Confidence of reported intervals.</summary>
    public double Confidence { get; init; } = TuningSettings.Confidence.Default;

    public bool AllowUnsafeMath { get; init; } = TuningSettings.AllowUnsafeMath.Default;

    public bool AllowMachineSpecific { get; init; } = TuningSettings.AllowMachineSpecific.Default;

    public AgentMode Agents { get; init; } = TuningSettings.Agents.Default;

    public string? OllamaEndpoint { get; init; }

    public AgentProvider AgentProvider { get; init; } = TuningSettings.AgentProvider.Default;

    /// <summary>The OpenAI-compatible server (AutoPassAgentEndpoint); unset: the local default of <see cref="Agents.OpenAICompatible.OpenAIEndpoint"/>.</summary>
    public string? AgentEndpoint { get; init; }

    public string? Model { get; init; }

    public SearchMode Search { get; init; } = TuningSettings.Search.Default;

    public MeasurementObjective Objective { get; init; } = TuningSettings.Objective.Default;

    /// <summary>Turn warnings about measurement noise into detail lines (AutoPassNoNoiseWarnings).</summary>
    public bool NoNoiseWarnings { get; init; } = TuningSettings.NoNoiseWarnings.Default;

    /// <summary>A markdown file the session and verify append their summary to (AutoPassSummaryFile); unset: GITHUB_STEP_SUMMARY.</summary>
    public string? SummaryFile { get; init; }

    /// <summary>Hot files only (the default, when a profile can be taken), or the whole project (AutoPassTuneScope).</summary>
    public TuneScope TuneScope { get; init; } = TuningSettings.TuneScope.Default;

    /// <summary>The cumulative share of the profiled instructions the tuned hot files hold (AutoPassHotShare).</summary>
    public double HotShare { get; init; } = TuningSettings.HotShare.Default;

    /// <summary>Hot-file candidates built at once (AutoPassBuildSlots); 0: chosen for the build's cost, at most one per core and four.</summary>
    public int BuildSlots { get; init; } = TuningSettings.BuildSlots.Default;

    /// <summary>Interleaved pairs per benchmark of a recheck of the pinned claim (AutoPassRecheckPairs).</summary>
    public int RecheckPairs { get; init; } = TuningSettings.RecheckPairs.Default;
    /// <summary>The shared trial store's PostgreSQL connection string (AutoPassStore); null: the local ledger only.</summary>
    public string? Store { get; init; }

    /// <summary>The campaign the lines go under in the store (AutoPassCampaign); null: the request key.</summary>
    public string? Campaign { get; init; }

    /// <summary>
    /// The machine class (AutoPassMachineClass): the pinned set a build, verify and recheck use (null: the default class's,
    /// or the only set), and the class a session pins for (null: none, the folder's only set).
    /// </summary>
    public string? MachineClass { get; init; }

    /// <summary>One worker of the store's campaign (AutoPassWorker): claims batches from the store instead of searching alone.</summary>
    public bool Worker { get; init; } = TuningSettings.Worker.Default;

    /// <summary>Conclude the store's campaign for this machine's class now (AutoPassConclude, autopass conclude), racing nothing.</summary>
    public bool Conclude { get; init; } = TuningSettings.Conclude.Default;

    /// <summary>How long a write to the store is retried before AP2061; null: a minute (tests of a lost store wait less).</summary>
    internal TimeSpan? StoreRetryWindow { get; init; }

    /// <summary>Take no profile for hot-file tuning, as on a machine without valgrind (tests of that path).</summary>
    internal bool NoProfiler { get; init; }

    /// <summary>Pin the run to one core when the OS allows (Linux affinity).</summary>
    public bool PinToCore { get; init; } = true;
}
