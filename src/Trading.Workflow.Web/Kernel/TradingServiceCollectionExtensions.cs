using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.LandRights;
using Trading.Workflow.Domain.MineralRights;
using Trading.Workflow.Web.Bidding;
using Trading.Workflow.Web.Bids;
using Trading.Workflow.Web.Configuration;
using Trading.Workflow.Web.Credit;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Deposits;
using Trading.Workflow.Web.Printing;
using Trading.Workflow.Web.EngineeringConstruction;
using Trading.Workflow.Web.Experts;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Evaluation;
using Trading.Workflow.Web.Market;
using Trading.Workflow.Web.Notices;
using Trading.Workflow.Web.Openings;
using Trading.Workflow.Web.Trail;
using Trading.Workflow.Web.Warnings;
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
        services.AddPlatformTrailKey();
        services.AddTradingKernel();
        services.AddNoticesWeb();
        services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.SectionName);
        services.TryAddSingleton(sp =>
        {
            // Documents:Folder, or files/ under the data folder; relative to the data folder when relative.
            var folder = sp.GetRequiredService<IOptions<DocumentOptions>>().Value.Folder;
            var data = sp.GetRequiredService<IOptions<StorageOptions>>().Value.ResolveDataFolder();
            return new DocumentStorage(Path.GetFullPath(string.IsNullOrWhiteSpace(folder) ? Path.Combine(data, "files") : Path.Combine(data, folder)));
        });
        services.AddTrailSupervision();
        services.AddHostedService<TradingStartup>();
        services.AddMarketWeb();
        services.AddDepositsWeb();
        services.AddPrintingWeb();
        services.AddProjectsWeb();
        services.AddEngineeringConstruction();
        services.AddOptions<TenderLimits>().BindConfiguration(TenderLimits.SectionName);
        services.AddBidsWeb();
        services.AddOpeningsWeb();
        services.AddWarningsWeb();
        services.AddCreditWeb();
        services.AddEngineeringConstructionWeb();
        services.AddExpertsWeb();
        services.AddEvaluationWeb();
        services.AddBiddingWeb();
        services.AddLandRights();
        services.AddMineralRights();
        services.AddGrantsWeb();
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
