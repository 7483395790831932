namespace AutoPass.Core.Policy;

/// <param name="AllowUnsafeMath">Allow semantics-changing math flags (-Ofast, the fast-math family, /fp:fast).</param>
/// <param name="AllowMachineSpecific">Allow -march=native / -mtune=native, ISA extensions (-mavx2) and /arch.</param>
internal sealed record PolicyOptions(bool AllowUnsafeMath = false, bool AllowMachineSpecific = false);
