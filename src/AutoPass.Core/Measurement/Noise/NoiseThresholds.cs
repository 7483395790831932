namespace AutoPass.Core.Measurement.Noise;

/// <summary>When a calibration or a machine reading is worth a warning. Defaults follow the reference notes.</summary>
/// <param name="NoisyCv">Robust CV of an arm above which the machine is noisy (3%).</param>
/// <param name="TooNoisyCv">Robust CV above which timing is hardly usable (10%).</param>
/// <param name="OutlierZ">Modified z-score |x − median| / (1.4826·MAD) above which a run is an outlier (10, as hyperfine).</param>
/// <param name="OutlierShare">Share of outlier runs above which the machine is noisy (10%).</param>
/// <param name="Drift">Relative change between the session's halves worth reporting (2%), when also beyond its noise.</param>
/// <param name="StealShare">Share of CPU time stolen by the hypervisor (2%).</param>
/// <param name="CpuPressure">/proc/pressure/cpu "some avg10", in percent (5).</param>
/// <param name="OtherLoad">One-minute load average beyond the calibration's own benchmark, read after it (0.5: half a CPU's worth of other work).</param>
internal sealed record NoiseThresholds(
    double NoisyCv = 0.03,
    double TooNoisyCv = 0.10,
    double OutlierZ = 10,
    double OutlierShare = 0.10,
    double Drift = 0.02,
    double StealShare = 0.02,
    double CpuPressure = 5,
    double OtherLoad = 0.5);
