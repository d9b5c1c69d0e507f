using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Trading.Workflow.Domain.Market;

public static class MarketServiceCollectionExtensions
{
    /// <summary>
    /// Market entities (市场主体): the "market" schema module (tables tr_market_*), <see cref="MarketEntityService"/>,
    /// <see cref="IEntityMembership"/> and <see cref="IParticipationEligibility"/>. Needs the trading database, the
    /// audit trail and a file store (the kernel registers them).
    /// </summary>
    public static IServiceCollection AddMarketEntities(this IServiceCollection services)
    {
        services.AddTradingSchemaModule("market", "Trading.Workflow.Domain.Market.Schema");
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MarketEntityService>();
        services.TryAddSingleton<IEntityMembership, EntityMembership>();
        services.TryAddSingleton<IParticipationEligibility, ParticipationEligibility>();
        return services;
    }
}
