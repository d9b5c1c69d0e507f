using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Warnings;

namespace Trading.Workflow.Domain;

public static class WarningsServiceCollectionExtensions
{
    /// <summary>
    /// Collusion warnings, shared by every trade type: the schema (module "warnings"), <see cref="WarningService"/>,
    /// <see cref="SectionWarnings"/> for the steps of a trade that compute them (a grant's admission) and the opening
    /// observer that computes a section's warnings at its opening.
    /// </summary>
    public static IServiceCollection AddWarnings(this IServiceCollection services)
    {
        services.AddTradingSchemaModule("warnings", "Trading.Workflow.Domain.Warnings.Schema");
        services.TryAddSingleton<WarningService>();
        services.TryAddSingleton<SectionWarnings>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOpeningObserver, OpeningWarnings>());
        return services;
    }
}
