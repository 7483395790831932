using System.Text;

namespace AutoPass.Core.Compilers.Remarks;

/// <summary>What the compiler did to one loop.</summary>
/// <param name="VectorDetail">How it was vectorized ("16 byte vectors", "width 4, interleave 2").</param>
/// <param name="NotVectorizedBecause">The compiler's first reason, when it did not vectorize.</param>
internal sealed record LoopRemarks(string File, int Line, bool Vectorized, string? VectorDetail, string? NotVectorizedBecause, bool Unrolled, string? UnrollDetail)
{
    public string Key => $"{File}:{Line}";
}

/// <summary>Whether one call was inlined, and why not.</summary>
internal sealed record CallRemark(string Callee, int Line, bool Inlined, string? Reason);

/// <summary>The loops and calls of one function.</summary>
internal sealed record FunctionRemarks(string Name, IReadOnlyList<LoopRemarks> Loops, IReadOnlyList<CallRemark> Calls);

/// <summary>One difference between two digests, e.g. ("kernel", "loop k.c:12", "not vectorized", "vectorized").</summary>
internal sealed record RemarkChange(string Function, string Subject, string Before, string After)
{
    public override string ToString() => $"{Function}: {Subject}: {Before} -> {After}";
}

/// <summary>
/// A compact account of a build's optimization remarks, per function and loop: vectorized or not and why, unrolled,
/// calls inlined or not. Small enough for an agent prompt and the ledger; <see cref="Diff"/> says what a flag changed.
/// </summary>
internal sealed record RemarkDigest(IReadOnlyList<FunctionRemarks> Functions)
{
    public FunctionRemarks? Find(string function) => Functions.FirstOrDefault(f => f.Name == function);

    /// <summary>Builds the digest from raw remarks (any order, duplicates allowed).</summary>
    public static RemarkDigest From(IEnumerable<Remark> remarks)
    {
        var functions = new List<FunctionRemarks>();
        foreach (var group in remarks.Where(r => r.Function.Length > 0).GroupBy(r => r.Function).OrderBy(g => g.Key, StringComparer.Ordinal))
            functions.Add(new FunctionRemarks(group.Key, Loops(group.ToList()), Calls(group.ToList())));
        return new RemarkDigest(functions);
    }

    private static bool IsLoopStatement(Remark r) => r.Topic switch
    {
        RemarkTopic.Vectorize => r.Message.Contains("loop vectorized", StringComparison.Ordinal)
            || r.Message.StartsWith("vectorized loop", StringComparison.Ordinal)
            || r.Message.StartsWith("couldn't vectorize loop", StringComparison.Ordinal)
            || (r.Kind == RemarkKind.Missed && r.Pass == "loop-vectorize" && r.Message.StartsWith("loop not vectorized", StringComparison.Ordinal) && !r.Message.Contains(':')),
        RemarkTopic.Unroll => true,
        _ => false,
    };

    private static List<LoopRemarks> Loops(List<Remark> remarks)
    {
        // Loops are known by their own remarks (at the loop's line); reasons are reported at the statement that
        // blocked vectorization and belong to the nearest loop above it.
        var lines = remarks.Where(IsLoopStatement).Select(r => (r.File, r.Line)).Distinct().OrderBy(l => l.Line).ToList();
        var loops = new List<LoopRemarks>();
        foreach (var (file, line) in lines)
        {
            var own = remarks.Where(r => r.File == file && r.Line == line).ToList();
            var vectorized = own.FirstOrDefault(r => r.Topic == RemarkTopic.Vectorize && r.Kind == RemarkKind.Passed && IsLoopStatement(r));
            var unrolled = own.FirstOrDefault(r => r.Topic == RemarkTopic.Unroll && r.Kind == RemarkKind.Passed);
            string? because = null;
            if (vectorized is null && own.Any(r => r.Topic == RemarkTopic.Vectorize))
            {
                int next = lines.Where(l => l.File == file && l.Line > line).Select(l => l.Line).DefaultIfEmpty(int.MaxValue).Min();
                because = remarks.Where(r => r.Topic == RemarkTopic.Vectorize && r.Kind != RemarkKind.Passed && !IsLoopStatement(r)
                        && r.File == file && r.Line >= line && r.Line < next)
                    .Select(r => Reason(r.Message)).FirstOrDefault(m => m.Length > 0) ?? "no reason given";
            }
            loops.Add(new LoopRemarks(file, line, vectorized is not null, vectorized is null ? null : VectorDetail(vectorized.Message),
                because, unrolled is not null, unrolled?.Message.Trim()));
        }
        return loops;
    }

    private static List<CallRemark> Calls(List<Remark> remarks) =>
        remarks.Where(r => r.Topic == RemarkTopic.Inline && r.Callee is not null && r.Kind != RemarkKind.Analysis)
            .GroupBy(r => (r.Callee!, r.Line))
            .Select(g =>
            {
                var passed = g.FirstOrDefault(r => r.Kind == RemarkKind.Passed);
                return new CallRemark(g.Key.Item1, g.Key.Line, passed is not null, passed is null ? Reason(g.First().Message) : null);
            })
            .OrderBy(c => c.Line).ThenBy(c => c.Callee, StringComparer.Ordinal).ToList();

    private static string Reason(string message)
    {
        string m = message.Trim();
        foreach (var prefix in (string[])["not vectorized: ", "loop not vectorized: "])
            if (m.StartsWith(prefix, StringComparison.Ordinal)) return m[prefix.Length..].Trim();
        return m;
    }

    private static string VectorDetail(string message)
    {
        int using_ = message.IndexOf("using ", StringComparison.Ordinal);
        if (using_ >= 0) return message[(using_ + "using ".Length)..].Trim();
        int paren = message.IndexOf('(');
        return paren >= 0 ? message[(paren + 1)..].TrimEnd(')', ' ') : message.Trim();
    }

    /// <summary>What changed from this digest to <paramref name="other"/>: loops vectorized or unrolled, calls inlined, functions gone.</summary>
    public IReadOnlyList<RemarkChange> Diff(RemarkDigest other)
    {
        var changes = new List<RemarkChange>();
        foreach (var name in Functions.Select(f => f.Name).Union(other.Functions.Select(f => f.Name)).Order(StringComparer.Ordinal))
        {
            // A function without remarks on one side (nothing tried, or inlined away) compares as empty.
            var before = Find(name) ?? new FunctionRemarks(name, [], []);
            var after = other.Find(name) ?? new FunctionRemarks(name, [], []);
            foreach (var key in before.Loops.Select(l => l.Key).Union(after.Loops.Select(l => l.Key)))
            {
                var b = before.Loops.FirstOrDefault(l => l.Key == key);
                var a = after.Loops.FirstOrDefault(l => l.Key == key);
                if (b?.Vectorized != a?.Vectorized)
                    changes.Add(new RemarkChange(name, $"loop {key}", VectorState(b), VectorState(a)));
                if (b?.Unrolled != a?.Unrolled)
                    changes.Add(new RemarkChange(name, $"loop {key}", UnrollState(b), UnrollState(a)));
            }
            foreach (var key in before.Calls.Select(c => (c.Callee, c.Line)).Union(after.Calls.Select(c => (c.Callee, c.Line))))
            {
                bool? b = before.Calls.FirstOrDefault(c => (c.Callee, c.Line) == key)?.Inlined;
                bool? a = after.Calls.FirstOrDefault(c => (c.Callee, c.Line) == key)?.Inlined;
                if (b != a)
                    changes.Add(new RemarkChange(name, $"call {key.Callee} (line {key.Line})", InlineState(b), InlineState(a)));
            }
        }
        return changes;
    }

    private static string VectorState(LoopRemarks? l) => l is null ? "no remark" : l.Vectorized ? "vectorized" : "not vectorized";
    private static string UnrollState(LoopRemarks? l) => l is null ? "no remark" : l.Unrolled ? "unrolled" : "not unrolled";
    private static string InlineState(bool? inlined) => inlined switch { null => "no remark", true => "inlined", false => "not inlined" };

    /// <summary>One line per loop and call, for prompts and the ledger.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var f in Functions)
        {
            text.Append(f.Name).Append(':').AppendLine();
            foreach (var l in f.Loops)
            {
                text.Append("  loop ").Append(l.Key).Append(": ")
                    .Append(l.Vectorized ? $"vectorized ({l.VectorDetail})" : l.NotVectorizedBecause is { } why ? $"not vectorized ({why})" : "vectorizer silent");
                if (l.Unrolled) text.Append("; ").Append(l.UnrollDetail);
                text.AppendLine();
            }
            foreach (var c in f.Calls)
                text.Append("  call ").Append(c.Callee).Append(" line ").Append(c.Line).Append(": ")
                    .Append(c.Inlined ? "inlined" : $"not inlined ({c.Reason})").AppendLine();
        }
        return text.ToString();
    }
}
