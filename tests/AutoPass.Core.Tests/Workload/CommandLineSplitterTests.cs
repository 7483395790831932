using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Workload;

public class CommandLineSplitterTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("  300  ", new[] { "300" })]
    [InlineData("--size 4096 -v", new[] { "--size", "4096", "-v" })]
    [InlineData("\"two words\" 'single quoted' x", new[] { "two words", "single quoted", "x" })]
    [InlineData("a\\ b \"c\\\"d\"", new[] { "a b", "c\"d" })]
    [InlineData("\"\"", new[] { "" })]
    public void Splits_like_a_shell_without_expansion(string text, string[] expected) =>
        Assert.Equal(expected, CommandLineSplitter.Split(text));

    [Fact]
    public void An_unclosed_quote_is_an_error() =>
        Assert.Throws<FormatException>(() => CommandLineSplitter.Split("\"open"));
}
