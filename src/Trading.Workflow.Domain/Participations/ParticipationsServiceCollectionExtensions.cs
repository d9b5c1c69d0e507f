using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Participations;

namespace Trading.Workflow.Domain;

public static class ParticipationsServiceCollectionExtensions
{
    /// <summary>Participations: the schema (module "participations") and <see cref="ParticipationService"/>.</summary>
    public static IServiceCollection AddParticipations(this IServiceCollection services)
    {
        services.AddTradingSchemaModule("participations", "Trading.Workflow.Domain.Participations.Schema");
        services.TryAddSingleton<ParticipationService>();
        return services;
    }
}
