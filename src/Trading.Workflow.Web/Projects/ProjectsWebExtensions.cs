using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Web.Kernel;

namespace Trading.Workflow.Web.Projects;

public static class ProjectsWebExtensions
{
    /// <summary>
    /// The web side of projects: the actor of a signed-in user, the trade-type/method → procedure mapping bound from
    /// <c>Trading:Projects:Procedures</c> (checked at start), and the demo projects.
    /// </summary>
    public static IServiceCollection AddProjectsWeb(this IServiceCollection services)
    {
        services.AddOptions<ProjectProcedureOptions>().BindConfiguration(ProjectProcedureOptions.SectionName).ValidateOnStart();
        services.AddScoped<ProjectActors>();
        services.AddDemoDataStep<ProjectsDemoData>();
        return services;
    }
}
