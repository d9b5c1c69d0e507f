using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Printing;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain;

/// <summary>The trading kernel: its database access, the trail, and every shared part, each through its own AddXxx().</summary>
public static class TradingKernelServiceCollectionExtensions
{
    public static IServiceCollection AddTradingKernel(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITradingDatabase, TradingDatabase>();
        services.TryAddScoped(sp => sp.GetRequiredService<ITradingDatabase>().Create());
        services.TryAddSingleton<TradingSchema>();

        services.AddTrail();
        services.AddMarketEntities();
        services.AddProjects();
        services.AddNotices();
        services.AddDeposits();
        services.AddDocuments();
        services.AddProjectAccess();
        services.AddNotifications();
        services.AddParticipations();
        services.AddSealedBids();
        services.AddOpenings();
        services.AddWarnings();
        services.AddCredit();
        services.AddPrinting();
        services.AddArchive();
        services.AddBidding();
        return services;
    }

    public static IServiceCollection AddTrail(this IServiceCollection services)
    {
        services.AddTradingSchemaModule("trail", "Trading.Workflow.Domain.Trail.Schema");
        // The key comes from section Trail (the host binds it; the web host also keeps a generated one in the data folder).
        services.AddOptions<TrailOptions>();
        services.TryAddSingleton(sp => TrailKeyRing.From(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<TrailOptions>>().Value));
        // The engine's history chain is keyed from the same ring (AddWorkflowPersistence alone leaves it plain).
        services.Replace(ServiceDescriptor.Singleton(sp => sp.GetRequiredService<TrailKeyRing>().ToHistoryChainKeys()));
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<IAuditTrail>(sp => sp.GetRequiredService<AuditTrail>());
        services.TryAddSingleton<AuditTrailVerifier>();
        services.TryAddSingleton<AuditLog>();
        return services;
    }

    /// <summary>A part's own versioned scripts (<c>&lt;Area&gt;/Schema/&lt;Provider&gt;/NNNN_name.sql</c>), run at start in registration order.</summary>
    public static IServiceCollection AddTradingSchemaModule(this IServiceCollection services, string module, string resourcePrefix)
    {
        services.AddSingleton(new TradingSchemaModule(module, resourcePrefix));
        return services;
    }

    /// <summary>A service-task handler the procedures (and the designer) can name.</summary>
    public static IServiceCollection AddServiceTaskHandler<T>(this IServiceCollection services)
        where T : class, IServiceTaskHandler
    {
        services.AddWorkflowEngine().AddHandler<T>();
        return services;
    }
}
