using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Trading.Workflow.Domain.Projects;

public static class ProjectsServiceCollectionExtensions
{
    /// <summary>
    /// Projects and sections: their schema module ("projects": tr_projects, tr_sections, tr_project_sequences), the
    /// lookup by business key and the trade-type/method → procedure mapping (defaults; the host binds
    /// <see cref="ProjectProcedureOptions.SectionName"/>). <see cref="ProjectService"/> is added with
    /// <see cref="AddProjectService"/> once an <see cref="IProjectParties"/> (the market part's entities) is there.
    /// </summary>
    public static IServiceCollection AddProjects(this IServiceCollection services)
    {
        services.AddTradingSchemaModule("projects", "Trading.Workflow.Domain.Projects.Schema");
        services.AddOptions<ProjectProcedureOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProjectProcedureOptions>, ProjectProcedureOptionsValidator>());
        services.TryAddSingleton<ProjectProcedures>();
        services.TryAddSingleton<ProjectLookup>();
        return services;
    }

    /// <summary>The project service; needs an <see cref="IProjectParties"/> registration.</summary>
    public static IServiceCollection AddProjectService(this IServiceCollection services)
    {
        services.TryAddScoped<ProjectService>();
        return services;
    }
}
