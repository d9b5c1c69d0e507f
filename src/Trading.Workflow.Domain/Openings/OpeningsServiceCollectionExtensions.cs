using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Trading.Workflow.Domain.Openings;

public static class OpeningsServiceCollectionExtensions
{
    /// <summary>
    /// The remote bid opening shared by every sealed-bid trade: options (section <c>Openings</c>, validated at start),
    /// the schema module "openings", the platform signer, the plaintext store (<c>Openings:PlaintextFolder</c>, by default
    /// <c>opened-bids</c> beside the document store), the service, the change notifier, the readers rule (nobody but a
    /// future evaluation committee) and the service tasks <c>openingStart</c> and <c>openingClose</c>. The sealed bids
    /// come through <see cref="ISealedBidBox"/> (<see cref="SealedBidBox"/> over the SealedBids part's tables).
    /// </summary>
    public static IServiceCollection AddOpenings(this IServiceCollection services)
    {
        services.AddOptions<OpeningOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpeningOptions>, OpeningOptionsValidation>();
        services.AddTradingSchemaModule("openings", "Trading.Workflow.Domain.Openings.Schema");
        services.TryAddSingleton<PlatformSigner>();
        services.TryAddSingleton<OpeningChanges>();
        services.TryAddSingleton(sp =>
        {
            // Beside the document store's folder unless configured: <data>/opened-bids by default.
            var folder = sp.GetRequiredService<IOptions<OpeningOptions>>().Value.PlaintextFolder;
            var documents = Path.GetDirectoryName(Path.GetFullPath(sp.GetRequiredService<Documents.DocumentStorage>().Root))!;
            return new OpenedBidStorage(Path.IsPathFullyQualified(folder) ? folder : Path.Combine(documents, string.IsNullOrWhiteSpace(folder) ? "opened-bids" : folder));
        });
        services.TryAddSingleton(sp => new OpenedBidStore(sp.GetRequiredService<OpenedBidStorage>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBidReaders, EvaluationCommitteeBidReaders>());
        services.TryAddSingleton<ISealedBidBox, SealedBidBox>();
        services.TryAddSingleton<OpeningService>();
        services.AddServiceTaskHandler<OpeningStartHandler>();
        services.AddServiceTaskHandler<OpeningCloseHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Trades.IDemoTimerDate, OpeningDemoTimerDate>());
        return services;
    }

    private sealed class OpeningOptionsValidation : IValidateOptions<OpeningOptions>
    {
        public ValidateOptionsResult Validate(string? name, OpeningOptions options)
        {
            var failures = options.Problems().ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
