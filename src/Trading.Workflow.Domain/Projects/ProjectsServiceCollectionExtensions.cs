using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Trading.Workflow.Domain.Projects;

public static class ProjectsServiceCollectionExtensions
{
    /// <summary>
    /// Projects and sections: their schema module ("projects": tr_projects, tr_sections, tr_project_sequences), the
    /// project service, the lookup by business key, the project's parties as the market part knows them, and the
    /// trade-type/method → procedure mapping (defaults; the host binds <see cref="ProjectProcedureOptions.SectionName"/>),
    /// and who downloads an agency's letter of authorisation (<see cref="AgencyLetterAccess"/>).
    /// </summary>
    public static IServiceCollection AddProjects(this IServiceCollection services)
    {
        services.AddTradingSchemaModule("projects", "Trading.Workflow.Domain.Projects.Schema");
        services.AddOptions<ProjectProcedureOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProjectProcedureOptions>, ProjectProcedureOptionsValidator>());
        services.TryAddSingleton<ProjectProcedures>();
        services.TryAddSingleton<ProjectLookup>();
        services.TryAddSingleton<IProjectParties, MarketProjectParties>();
        services.TryAddScoped<ProjectService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Documents.IDocumentAccessRule, AgencyLetterAccess>());
        return services;
    }
}
