using AutoPass.Core.Compilers;

namespace AutoPass.Core.Tests.Compilers;

public class FlagDefinitionTests
{
    [Fact]
    public void ToggleAndFlip_SpellBothStates()
    {
        var unroll = new FlagDefinition("-funroll-loops", FlagKind.Toggle, EnabledAtBaseline: false);
        Assert.Equal("-funroll-loops", unroll.Toggle(true));
        Assert.Equal("-fno-unroll-loops", unroll.Toggle(false));
        Assert.Equal("-funroll-loops", unroll.Flip());
        Assert.Equal(["-fno-unroll-loops"], unroll.Spell("false"));
    }

    [Fact]
    public void Spell_ChecksValuesAndKeepsMllvmAsTwoArguments()
    {
        var knob = new FlagDefinition("-unroll-threshold", FlagKind.Parameter, Min: 0, Max: 2000, Syntax: FlagSyntax.LlvmOption);
        Assert.Equal(["-mllvm", "-unroll-threshold=300"], knob.Spell(300));
        Assert.Throws<ArgumentOutOfRangeException>(() => knob.Spell(5000));
        Assert.Throws<ArgumentException>(() => knob.Spell("abc"));
        var model = new FlagDefinition("-fvect-cost-model", FlagKind.Enum, Values: ["cheap", "dynamic"]);
        Assert.Equal(["-fvect-cost-model=cheap"], model.Spell("cheap"));
        Assert.Throws<ArgumentException>(() => model.Spell("turbo"));
    }

    [Fact]
    public void FlagUnits_GroupMllvmPairsAndRoundTrip()
    {
        string[] flags = ["-O3", "-mllvm", "-unroll-threshold=300", "-funroll-loops", "-mllvm"];
        var units = FlagUnit.Split(flags);
        Assert.Equal(["-O3", "-mllvm -unroll-threshold=300", "-funroll-loops", "-mllvm"], units.Select(u => u.Display));
        Assert.True(units[1].IsLlvmOption);
        Assert.False(units[3].IsLlvmOption);
        Assert.Equal(flags, FlagUnit.Join(units));
    }
}
