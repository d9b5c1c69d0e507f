using Trading.Workflow.Domain.Openings;

namespace Trading.Workflow.Web.Openings;

public static class OpeningsWebExtensions
{
    /// <summary>
    /// The host's part of the remote opening: binds <c>Openings</c> (decryption window, minimum bids, plaintext folder),
    /// the page access, and creates the platform's signing key at start (after the schema, so the first close never
    /// has to create it inside the procedure's transaction).
    /// </summary>
    public static IServiceCollection AddOpeningsWeb(this IServiceCollection services)
    {
        services.AddOptions<OpeningOptions>().BindConfiguration(OpeningOptions.SectionName);
        services.AddScoped<OpeningAccess>();
        services.AddHostedService<PlatformKeyStartup>();
        return services;
    }
}

/// <summary>Generates the platform's SM2 signing key at the first start (then reads it) and logs its fingerprint.</summary>
internal sealed partial class PlatformKeyStartup(PlatformSigner signer, ILogger<PlatformKeyStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var key = await signer.PublicKeyAsync(cancellationToken);
        LogKey(logger, key.Fingerprint, key.PublicKeyHex);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Platform signing key (opening records): SM3 fingerprint {Fingerprint}, public key {PublicKey}")]
    private static partial void LogKey(ILogger logger, string fingerprint, string publicKey);
}
