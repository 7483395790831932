using AutoPass.Core.Compilers;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Evidence;

/// <summary>What a finished session found: the input of the lock file, the summary and the report.</summary>
/// <param name="MinEffect">The smallest speedup the session claimed with (the calibration may have raised the request's).</param>
/// <param name="TrialsUsed">Measured or failed builds: what counted against <see cref="TuningRequest.MaxTrials"/>.</param>
/// <param name="ReusedMeasurements">Candidates whose binaries equalled ones already measured.</param>
/// <param name="Agents">"builtin", or "/// <param name="Agents">"builtin", or "ollama:&lt;model&gt;" when a model answered.</param>lt;provider/// <param name="Agents">"builtin", or "ollama:&lt;model&gt;" when a model answered.</param>gt;:/// <param name="Agents">"builtin", or "ollama:&lt;model&gt;" when a model answered.</param>lt;model/// <param name="Agents">"builtin", or "ollama:&lt;model&gt;" when a model answered.</param>gt;" ("ollama:...", "openai:...") when a model answered.</param>
/// <param name="Cost">What the search spent.</param>
/// <param name="HotFiles">The files candidates changed (AutoPassTuneScope=hot), or null: the whole project.</param>
/// <param name="NoiseFindings">What the A/A calibration found about the machine's noise, per benchmark and per arm (one warning said it in short).</param>
internal sealed record SessionFindings(
    TuningRequest Request,
    ArtifactPaths Paths,
    CompilerInfo Compiler,
    double MinEffect,
    IReadOnlyList<TrialRecord> Trials,
    Conclusion Conclusion,
    int TrialsUsed,
    int ReusedMeasurements,
    string Agents,
    SearchCost Cost,
    IReadOnlyList<Measurement.Noise.NoiseWarning>? NoiseFindings = null,
    IReadOnlyList<HotSourceFile>? HotFiles = null);

/// <summary>A hot file of hot-file tuning: relative to the source directory, with its share of the profiled instructions.</summary>
internal sealed record HotSourceFile(string Path, double Share);
