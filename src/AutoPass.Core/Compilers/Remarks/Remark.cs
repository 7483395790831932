namespace AutoPass.Core.Compilers.Remarks;

internal enum RemarkKind { Passed, Missed, Analysis }

/// <summary>What a remark is about, as far as the digest cares.</summary>
internal enum RemarkTopic { Vectorize, Unroll, Inline, Other }

/// <summary>One optimization remark from gcc or clang, normalised.</summary>
/// <param name="Callee">For inlining remarks: the function called.</param>
internal sealed record Remark(RemarkKind Kind, RemarkTopic Topic, string Pass, string Function, string File, int Line, string Message, string? Callee = null);
