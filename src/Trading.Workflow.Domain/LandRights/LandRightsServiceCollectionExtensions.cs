using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.LandRights;

public static class LandRightsServiceCollectionExtensions
{
    /// <summary>The procedure of <c>workflows/land-rights/land-grant.bpmn</c>.</summary>
    public const string ProcessId = "land-rights.land-grant";

    /// <summary>
    /// The land-use rights slice (国有建设用地使用权出让, 招拍挂): the shared grant path (<see cref="GrantsServiceCollectionExtensions.AddGrants"/>)
    /// and its procedure for listing, auction and tender; limits under <c>Grants:Limits:land-rights</c> (§1C defaults).
    /// </summary>
    public static IServiceCollection AddLandRights(this IServiceCollection services)
    {
        services.AddGrants();
        services.AddGrantProcedure(TradeTypes.LandRights, ProcessId);
        return services;
    }
}
