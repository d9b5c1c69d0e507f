using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Quartz;
using Trading.Workflow.Engine.Quartz.Reminders;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Access;
using Trading.Workflow.Web.Configuration;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Forms.Components;
using Trading.Workflow.Web.Health;

namespace Trading.Workflow.Web.Workflow;

public static class PlatformWorkflowExtensions
{
    /// <summary>
    /// The BPMN engine on the application's own database (SQLite or PostgreSQL, as <c>Database</c> says), the
    /// working-day calendar, Quartz timers in the same database, the platform's procedures deployed at first start,
    /// task forms, the inbox and instance services, and the store's readiness check.
    /// </summary>
    public static WebApplicationBuilder AddPlatformWorkflow(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<PlatformWorkflowOptions, PlatformWorkflowOptions.Validator>(PlatformWorkflowOptions.SectionName);

        services.AddWorkflowEngine();
        services.AddProjectAccessWeb();
        services.AddOptions<WorkflowEngineOptions>().BindConfiguration(WorkflowEngineOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure(options =>
            {
                // A user task a model leaves without receivers (as Camunda allows) goes to the centre's staff to claim.
                if (options.DefaultCandidateRoles.Count == 0)
                {
                    options.DefaultCandidateRoles.Add(PlatformRoles.Staff);
                }
            });
        services.AddWorkflowPersistence();
        services.AddOptions<WorkflowPersistenceOptions>()
            .BindConfiguration(WorkflowPersistenceOptions.SectionName)
            .Configure<DatabaseTarget>((o, target) =>
            {
                // One database for the app, the engine and Quartz.
                o.Provider = target.Provider;
                o.ConnectionString = target.ConnectionString;
            });
        // Deadlines that run into a year whose arrangement is not published yet count on the statutory holidays
        // (the calendar page and dashboard keep warning until the administrator enters it).
        services.TryAddSingleton(sp => new ReloadableBusinessCalendar(
            sp.GetRequiredService<IHolidayCalendarSource>(), sp.GetRequiredService<TimeProvider>())
        {
            ProvisionalFutureYears = true,
        });
        services.AddWorkingDayCalendar();

        services.AddWorkflowCommitObserver<TaskNotifier>();
        services.AddSingleton<PostgresTaskChangeFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresTaskChangeFeed>());

        services.AddSingleton<FormStore>();
        services.AddSingleton<DocumentStore>();
        // Built-in task components: the bid opening console here, the others from their part's AddXxx().
        services.AddSingleton(BidOpeningRules.Component);
        services.AddSingleton(sp => new BuiltInTaskComponentRegistry(sp.GetServices<BuiltInTaskComponent>()));
        services.AddSingleton<ProcedureNames>();
        services.AddSingleton<InboxQueries>();
        services.AddSingleton<ProcedureCatalog>();
        services.AddSingleton<ShippedProcedureUpdates>();
        services.AddSingleton<ProcedureDeployer>();
        services.AddScoped<TaskService>();
        services.AddScoped<ScreenTaskCompletion>();
        services.AddScoped<InstanceService>();
        services.AddHealthChecks().AddCheck<WorkflowStoreHealthCheck>("workflow-store", tags: [HealthExtensions.ReadyTag]);

        // Schema and first deployment before Quartz reconciles and fires (hosted services start in order).
        services.AddHostedService<WorkflowStartup>();

        var platform = builder.Configuration.GetSection(PlatformWorkflowOptions.SectionName).Get<PlatformWorkflowOptions>() ?? new PlatformWorkflowOptions();
        if (platform.UseQuartz)
        {
            var target = ResolveTarget(builder.Configuration);
            services.AddQuartzTimers(builder.Configuration, o =>
            {
                o.Provider = target.Provider == DatabaseProvider.PostgreSql ? QuartzStoreProvider.PostgreSql : QuartzStoreProvider.Sqlite;
                o.ConnectionString = target.ConnectionString;
            });
        }
        else
        {
            services.AddOptions<TaskReminderOptions>().BindConfiguration(TaskReminderOptions.SectionName);
            services.TryAddSingleton<TaskDueStateEvaluator>();
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapPlatformWorkflow(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapWorkflowEndpoints();
        return endpoints;
    }

    /// <summary>The database as the app will resolve it, read now because Quartz fixes its store at registration.</summary>
    private static DatabaseTarget ResolveTarget(IConfiguration configuration)
    {
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        return new DatabaseTarget(Options.Create(database), Options.Create(storage));
    }
}
