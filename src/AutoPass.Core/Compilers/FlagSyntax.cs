namespace AutoPass.Core.Compilers;

/// <summary>How a flag is spelled on the command line; decides <see cref="FlagDefinition.Spell"/>.</summary>
internal enum FlagSyntax
{
    /// <summary>gcc/clang option: <c>-fname</c>, <c>-fno-name</c>, <c>-fname=value</c>.</summary>
    Option,
    /// <summary>gcc parameter: <c>--param=name=N</c> (one argument).</summary>
    GccParam,
    /// <summary>
    /// LLVM backend option: the two adjacent arguments <c>-mllvm</c> <c>-name=value</c>. Kept as two entries of the
    /// flat flag list because that is what the driver accepts; the policy and the probe treat them as one unit.
    /// </summary>
    LlvmOption,
    /// <summary>MSVC: <c>/name</c>, <c>/name-</c>, <c>/name:value</c> or <c>/nameVALUE</c>.</summary>
    Msvc,
}
