using System.Net;
using Microsoft.AspNetCore.Http;
using Trading.Workflow.Web.Security;

namespace Trading.Workflow.Web.Tests.Supervision;

/// <summary>The client address a sealed bid records: as the host saw the request, IPv4 written as IPv4 even when mapped into IPv6.</summary>
public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8::7", "2001:db8::7")]
    public void Of_TheRequestsRemoteAddress_IsWrittenPlainly(string remote, string expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);

        Assert.Equal(expected, ClientAddress.Of(context));
    }

    [Fact]
    public void Of_ARequestWithoutAnAddress_IsUnknown() => Assert.Null(ClientAddress.Of(new DefaultHttpContext()));
}
