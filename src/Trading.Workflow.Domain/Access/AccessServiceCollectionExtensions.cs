using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Trading.Workflow.Domain.Access;

public static class AccessServiceCollectionExtensions
{
    /// <summary>
    /// Project access (issue 11, point 9): the party tables (module "access"), <see cref="IProjectParticipants"/> to add
    /// participants and experts, and <see cref="IProjectAuthorization"/>. The host supplies <see cref="IPlatformDirectory"/>.
    /// </summary>
    public static IServiceCollection AddProjectAccess(this IServiceCollection services)
    {
        services.AddTradingSchemaModule("access", "Trading.Workflow.Domain.Access.Schema");
        services.TryAddSingleton<ProjectPartyStore>();
        services.TryAddSingleton<IProjectParticipants>(sp => sp.GetRequiredService<ProjectPartyStore>());
        services.TryAddSingleton<IProjectPartyRegister>(sp => sp.GetRequiredService<ProjectPartyStore>());
        services.TryAddSingleton<IProjectDirectory, ProjectDirectory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBusinessKeyProjects, ProjectCodeKeys>());
        services.TryAddSingleton<IActingEntities, MarketActingEntities>();
        services.TryAddSingleton<IProjectAuthorization, ProjectAuthorization>();
        return services;
    }
}
