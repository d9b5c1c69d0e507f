using Trading.Workflow.Web.Accounts;

namespace Trading.Workflow.Web.Tests.Accounts;

public sealed class LocalPathTests
{
    [Theory]
    [InlineData("/admin/users", "/admin/users")]
    [InlineData("/centres?x=1", "/centres?x=1")]
    [InlineData("/", "/")]
    public void OrHome_WithLocalPath_KeepsIt(string path, string expected)
    {
        Assert.Equal(expected, LocalPath.OrHome(path));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("admin/users")]
    [InlineData("/a\r\nSet-Cookie: x=1")]
    public void OrHome_WithForeignOrMalformedPath_ReturnsRoot(string? path)
    {
        Assert.Equal("/", LocalPath.OrHome(path));
    }
}
