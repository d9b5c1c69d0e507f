using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Bidding;

namespace Trading.Workflow.Domain;

public static class BiddingServiceCollectionExtensions
{
    /// <summary>The shared online bidding engine: schema (module "bidding"), store, feed, engine, timer, PostgreSQL listener, the close hook
    /// (<see cref="ILotClosedHandler"/>, its trail record built in), the admissions' trail, the refund guard (<see cref="LotDepositRefundGuard"/>) and the
    /// admissions withdrawn when a deposit is no longer held (<see cref="LotDepositReleaseListener"/>).</summary>
    public static IServiceCollection AddBidding(this IServiceCollection services)
    {
        services.AddTradingSchemaModule("bidding", "Trading.Workflow.Domain.Bidding.Schema");
        services.TryAddSingleton<BidLogStore>();
        services.TryAddSingleton<BidFeed>();
        services.TryAddSingleton<IBiddingEligibility, DepositAndRegistrationEligibility>();
        services.TryAddSingleton<BiddingEngine>();
        services.TryAddSingleton<LotClosedDispatcher>();
        services.TryAddSingleton<BiddingTrail>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILotClosedHandler, BiddingTrail>());
        services.TryAddSingleton<BiddingTimer>();
        services.TryAddSingleton<PostgresBidListener>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Deposits.IDepositRefundGuard, LotDepositRefundGuard>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Deposits.IDepositReleaseListener, LotDepositReleaseListener>());
        return services;
    }
}
