namespace AutoPass.Core.Compilers;

/// <summary>What a flag costs beyond speed; the policy admits risky flags only on the user's opt-in.</summary>
[Flags]
internal enum FlagRisk
{
    None = 0,
    /// <summary>Changes floating-point results (fast-math family, /fp:fast).</summary>
    UnsafeMath = 1,
    /// <summary>Produces a binary that needs this machine's CPU (-march=native, -mavx2, /arch:AVX2).</summary>
    MachineSpecific = 2,
}
