using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.MineralRights;

public static class MineralRightsServiceCollectionExtensions
{
    /// <summary>The procedure of <c>workflows/mineral-rights/mineral-grant.bpmn</c>.</summary>
    public const string ProcessId = "mineral-rights.mineral-grant";

    /// <summary>
    /// The mineral-rights slice (探矿权/采矿权出让): the shared grant path with the mineral fields and its procedure for the
    /// competitive modes; limits per province under <c>Grants:Limits:mineral-rights</c> (§1D defaults: notice 20 日, tender
    /// notice 30 日, listing 10 WD, result within 5 WD).
    /// </summary>
    public static IServiceCollection AddMineralRights(this IServiceCollection services)
    {
        services.AddGrants();
        services.AddGrantProcedure(TradeTypes.MineralRights, ProcessId);
        return services;
    }
}
