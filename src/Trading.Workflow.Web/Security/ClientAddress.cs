using System.Net;

namespace Trading.Workflow.Web.Security;

/// <summary>
/// The client address of the request that started the page's circuit, as the host saw it (after the forwarded
/// headers, when <c>Security:ForwardedHeaders</c> is on). It travels as a root parameter, which the server protects,
/// and is cascaded to the pages that record it (a sealed bid's submission).
/// </summary>
public static class ClientAddress
{
    public const string CascadeName = "ClientAddress";

    /// <summary>The request's address, an IPv4 address mapped into IPv6 written as IPv4; null when unknown.</summary>
    public static string? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Of(context.Connection.RemoteIpAddress);
    }

    public static string? Of(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
