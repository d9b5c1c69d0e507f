using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Web.Access;

/// <summary>Registers the web's side of project access: the account and centre directory, the engine's candidate scope, the workflow adapter.</summary>
public static class AccessWebExtensions
{
    public static IServiceCollection AddProjectAccessWeb(this IServiceCollection services)
    {
        services.TryAddSingleton<IPlatformDirectory, PlatformDirectory>();
        services.TryAddSingleton<IProjectAuthorization, ProjectAuthorization>();
        services.Replace(ServiceDescriptor.Singleton<ITaskCandidateScope, ProjectCandidateScope>());
        services.TryAddSingleton<WorkflowAccess>();
        return services;
    }
}
