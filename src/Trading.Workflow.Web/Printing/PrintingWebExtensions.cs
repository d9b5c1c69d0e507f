using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Printing;

namespace Trading.Workflow.Web.Printing;

public static class PrintingWebExtensions
{
    /// <summary>
    /// The host's part of the official PDFs: binds <c>Printing</c> from configuration and, when
    /// <c>Printing:PortalBaseUrl</c> is not set, prints the host's own first address (<c>urls</c>) in the QR codes, so a
    /// demo run's PDFs lead back to it; production sets the portal's public address.
    /// </summary>
    public static IServiceCollection AddPrintingWeb(this IServiceCollection services)
    {
        services.AddOptions<PrintingOptions>()
            .BindConfiguration(PrintingOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                if (string.IsNullOrWhiteSpace(options.PortalBaseUrl) && HostAddress(configuration["urls"]) is { } address)
                {
                    options.PortalBaseUrl = address;
                }
            });
        return services;
    }

    /// <summary>The first http(s) address of a <c>urls</c> setting, with a wildcard host read as localhost.</summary>
    internal static string? HostAddress(string? urls)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || u.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (first is null)
        {
            return null;
        }

        var address = first.Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
        return Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;
    }
}
