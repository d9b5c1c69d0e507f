using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.SealedBids;

namespace Trading.Workflow.Domain;

public static class SealedBidsServiceCollectionExtensions
{
    /// <summary>Sealed bids: the schema (module "sealedbids"), <see cref="SealedBidService"/> and the rule that keeps ciphertext documents to their bidder.</summary>
    public static IServiceCollection AddSealedBids(this IServiceCollection services)
    {
        services.AddTradingSchemaModule("sealedbids", "Trading.Workflow.Domain.SealedBids.Schema");
        services.TryAddSingleton<SealedBidService>();
        return services;
    }
}
