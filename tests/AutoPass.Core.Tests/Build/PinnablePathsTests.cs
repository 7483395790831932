using AutoPass.Core.Build;

namespace AutoPass.Core.Tests.Build;

/// <summary>The hot files the pinned files can name are exactly those the real CMake script renderer can write.</summary>
public sealed class PinnablePathsTests
{
    [Theory]
    [InlineData("src/kernel.c")]
    [InlineData("src/my kernel (v2).c")]
    [InlineData("src/ядро-ü.c")]
    [InlineData("src/a'b#c&d.c")]
    public void A_path_the_renderer_can_write_is_pinnable(string path)
    {
        Assert.True(PinnablePaths.CanPin(path));
        string script = CMakeFlagsScript.Render(["-O3"], "# test", files: [new FileFlags(path, ["-funroll-loops"])]);
        Assert.Contains($"\"{path}\" \"-funroll-loops\"", script);
    }

    [Theory]
    [InlineData("src/$HOME.c")]
    [InlineData("src/a;b.c")]
    [InlineData("src/say \"hi\".c")]
    [InlineData("src/two\nlines.c")]
    public void A_path_the_renderer_refuses_is_left_out_and_not_pinned(string path)
    {
        Assert.False(PinnablePaths.CanPin(path));
        // What the session met before: the renderer throws, which ended in "This is a bug in AutoPass".
        Assert.Throws<ArgumentException>(() => CMakeFlagsScript.Render(["-O3"], "# test", files: [new FileFlags(path, ["-funroll-loops"])]));

        var (pinnable, leftOut) = PinnablePaths.Partition(["src/kernel.c", path], p => p);
        Assert.Equal(["src/kernel.c"], pinnable);
        Assert.Equal([path], leftOut);
    }
}
