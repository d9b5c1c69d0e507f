using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Trading.Workflow.Web.Designer;

public static class DesignerServiceCollectionExtensions
{
    /// <summary>
    /// The procedure designer's services. The engine, its durable store (the version service) and the form store come
    /// from <c>AddPlatformWorkflow</c>.
    /// </summary>
    public static IServiceCollection AddProcedureDesigner(this IServiceCollection services)
    {
        services.TryAddSingleton<DesignerValidation>();
        services.TryAddSingleton<DesignerImport>();
        services.TryAddSingleton<IProcedureCatalog, ProcedureCatalog>();
        services.TryAddSingleton<DesignerText>();
        services.TryAddScoped<DesignerLookups>();
        services.TryAddScoped<DryRunService>();
        return services;
    }
}
