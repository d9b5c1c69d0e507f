using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Web.Configuration;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Market;
using Trading.Workflow.Web.Projects;

namespace Trading.Workflow.Web.Kernel;

public static class TradingServiceCollectionExtensions
{
    /// <summary>
    /// The trading kernel and its shared parts, after the workflow (their schema and demo data run after the engine's
    /// schema and the procedures' deployment: hosted services start in registration order).
    /// </summary>
    public static IServiceCollection AddPlatformTrading(this IServiceCollection services)
    {
        services.AddTradingKernel();
        services.TryAddSingleton<IFileStore>(sp =>
            new DataFolderFileStore(Path.Combine(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ResolveDataFolder(), "files")));
        services.AddHostedService<TradingStartup>();
        services.AddMarketWeb();
        services.AddProjectsWeb();
        return services;
    }

    /// <summary>A part's demo data step (see <see cref="IDemoDataStep"/>).</summary>
    public static IServiceCollection AddDemoDataStep<T>(this IServiceCollection services)
        where T : class, IDemoDataStep
    {
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IDemoDataStep, T>());
        return services;
    }
}
