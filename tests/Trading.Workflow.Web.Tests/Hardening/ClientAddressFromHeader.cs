using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Trading.Workflow.Web.Tests.Hardening;

/// <summary>Sets the connection's client address from a test header, ahead of the platform's pipeline.</summary>
internal sealed class ClientAddressFromHeader : IStartupFilter
{
    /// <summary>Test requests name their client address in this header (the test server has none).</summary>
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var address))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(address!);
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
