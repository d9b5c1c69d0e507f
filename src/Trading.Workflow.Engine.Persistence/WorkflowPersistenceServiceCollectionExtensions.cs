using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Admin;
using Trading.Workflow.Engine.Persistence.Calendar;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Engine.Store;

namespace Microsoft.Extensions.DependencyInjection;

public static class WorkflowPersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Stores the engine's state durably (SQLite by default, PostgreSQL by option): replaces the in-memory store,
    /// definition repository and holiday calendar source, and adds <see cref="ProcessVersionService"/>,
    /// <see cref="InstanceMigrationService"/> and <see cref="WorkflowAdminService"/>. Call with or without
    /// <c>AddWorkflowEngine</c> before it; order does not matter.
    /// </summary>
    public static IServiceCollection AddWorkflowPersistence(this IServiceCollection services, Action<WorkflowPersistenceOptions>? configure = null)
    {
        var options = services.AddOptions<WorkflowPersistenceOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "Workflow:Persistence:ConnectionString is required.")
            .Validate(o => o.SqliteSynchronous is "FULL" or "NORMAL", "Workflow:Persistence:SqliteSynchronous must be FULL or NORMAL.")
            .Validate(o => o.SqliteBusyTimeoutMilliseconds >= 0, "Workflow:Persistence:SqliteBusyTimeoutMilliseconds must not be negative.")
            .Validate(o => Enum.IsDefined(o.Provider), "Workflow:Persistence:Provider must be Sqlite or PostgreSql.")
            .Validate(o => o.CalendarRefreshInterval > TimeSpan.Zero, "Workflow:Persistence:CalendarRefreshInterval must be positive.");

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SchemaMigrator>();
        services.TryAddSingleton(HistoryChainKeys.None);
        services.TryAddSingleton(sp => new WorkflowDatabase(
            sp.GetRequiredService<IOptions<WorkflowPersistenceOptions>>(), sp.GetRequiredService<SchemaMigrator>(), sp.GetRequiredService<HistoryChainKeys>()));
        services.TryAddSingleton<EfWorkflowStore>();
        services.Replace(ServiceDescriptor.Singleton<IWorkflowStore>(sp => sp.GetRequiredService<EfWorkflowStore>()));
        services.TryAddSingleton(sp => new EfDefinitionRepository(
            sp.GetRequiredService<WorkflowDatabase>(), sp.GetService<Trading.Workflow.Engine.Runtime.IServiceTaskHandlerCatalog>()));
        services.Replace(ServiceDescriptor.Singleton<IDefinitionRepository>(sp => sp.GetRequiredService<EfDefinitionRepository>()));
        services.Replace(ServiceDescriptor.Singleton<IHolidayCalendarSource, EfHolidayCalendarSource>());
        services.AddHostedService<HolidayCalendarRefresher>();
        services.TryAddSingleton<ProcessVersionService>();
        services.TryAddSingleton<InstanceMigrationService>();
        services.TryAddSingleton<WorkflowAdminService>();
        services.TryAddSingleton<HistoryChainVerifier>();
        services.TryAddSingleton<Trading.Workflow.Engine.Persistence.Queries.WorkflowQueries>();
        return services;
    }
}
