using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Designer;

public static class DesignerServiceCollectionExtensions
{
    /// <summary>
    /// The procedure designer's services. It needs the engine with its durable store (the version service); they
    /// are added here on the application database unless already registered (both registrations are idempotent).
    /// </summary>
    public static IServiceCollection AddProcedureDesigner(this IServiceCollection services)
    {
        services.AddWorkingDayCalendar();
        services.AddWorkflowEngine();
        services.AddWorkflowPersistence();
        services.AddOptions<WorkflowPersistenceOptions>().Configure<DatabaseTarget>((options, target) =>
        {
            options.Provider = target.Provider;
            options.ConnectionString = target.ConnectionString;
        });

        services.TryAddSingleton<DesignerValidation>();
        services.TryAddSingleton<IProcedureCatalog, ProcedureCatalog>();
        services.TryAddSingleton<DesignerText>();
        services.TryAddScoped<DesignerLookups>();
        services.TryAddScoped<DryRunService>();
        return services;
    }
}
