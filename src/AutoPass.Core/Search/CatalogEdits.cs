using AutoPass.Core.Compilers;

namespace AutoPass.Core.Search;

/// <summary>One edit a strategy can make: set one catalog option away from its baseline state. One or two arguments (-mllvm pairs).</summary>
internal sealed record FlagEdit(FlagDefinition Definition, IReadOnlyList<string> Arguments)
{
    public FlagUnit Unit => new(Arguments);
}

/// <summary>The edits the compiler's catalog offers, each already admitted by the policy gate.</summary>
internal static class CatalogEdits
{
    /// <summary>Every on/off option flipped from its baseline state.</summary>
    public static IReadOnlyList<FlagEdit> Flips(SearchState state)
    {
        var edits = new List<FlagEdit>();
        foreach (var definition in state.Catalog.Flags)
        {
            if (definition.Kind != FlagKind.Toggle || definition.EnabledAtBaseline is not { } on) continue;
            if (!state.Policy.IsTunable(definition)) continue;
            IReadOnlyList<string> arguments;
            try { arguments = definition.Spell(on ? "false" : "true"); }
            catch (ArgumentException) { continue; }
            if (state.Policy.Admits(arguments)) edits.Add(new FlagEdit(definition, arguments));
        }
        return edits;
    }

    /// <summary><paramref name="flags"/> with any setting of <paramref name="edit"/>'s option replaced by the edit.</summary>
    public static IReadOnlyList<string> Apply(IReadOnlyList<string> flags, FlagEdit edit)
    {
        var units = FlagUnit.Split(flags).Where(u => !SameOption(u, edit.Definition)).ToList();
        units.Add(edit.Unit);
        return FlagUnit.Join(units);
    }

    private static bool SameOption(FlagUnit unit, FlagDefinition definition)
    {
        foreach (var value in new[] { "true", "false" })
        {
            try
            {
                if (unit.Arguments.SequenceEqual(definition.Spell(value))) return true;
            }
            catch (ArgumentException) { return false; }
        }
        return false;
    }
}
