using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;
using Trading.Workflow.Engine.Quartz;
using Trading.Workflow.Engine.Quartz.Demo;
using Trading.Workflow.Engine.Quartz.Reminders;
using Trading.Workflow.Engine.Runtime;

namespace Microsoft.Extensions.DependencyInjection;

public static class QuartzTimersServiceCollectionExtensions
{
    /// <summary>
    /// Schedules the engine's timers and async jobs on Quartz (AdoJobStore in the application database; clustered on
    /// PostgreSQL), with start-up reconciliation, due-date reminders and demo fast-forward. Reads <c>Workflow:Quartz</c>,
    /// <c>Workflow:Reminders</c> and <c>Demo</c> from the builder's configuration.
    /// </summary>
    public static IHostApplicationBuilder AddQuartzTimers(this IHostApplicationBuilder builder, Action<QuartzTimerOptions>? configure = null)
    {
        builder.Services.AddQuartzTimers(builder.Configuration, configure);
        return builder;
    }

    public static IServiceCollection AddQuartzTimers(this IServiceCollection services, Action<QuartzTimerOptions> configure) =>
        services.AddQuartzTimers(null, configure);

    public static IServiceCollection AddQuartzTimers(this IServiceCollection services, IConfiguration? configuration, Action<QuartzTimerOptions>? configure = null)
    {
        // Read now: Quartz's store (provider, connection string, clustering) is fixed at registration.
        var settings = new QuartzTimerOptions();
        configuration?.GetSection(QuartzTimerOptions.SectionName).Bind(settings);
        configure?.Invoke(settings);
        Validate(settings);

        services.AddOptions<QuartzTimerOptions>().Configure(o => Copy(settings, o));
        var reminders = services.AddOptions<TaskReminderOptions>();
        var demo = services.AddOptions<DemoOptions>();
        if (configuration is not null)
        {
            reminders.Bind(configuration.GetSection(TaskReminderOptions.SectionName));
            demo.Bind(configuration.GetSection(DemoOptions.SectionName));
        }

        reminders.Validate(o => o.ScanInterval > TimeSpan.Zero && o.NearDueWindow >= TimeSpan.Zero && o.NearDueWorkingDays >= 0,
            "Workflow:Reminders: ScanInterval must be positive, NearDueWindow and NearDueWorkingDays not negative.").ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddWorkflowCommitObserver<QuartzWorkflowScheduler>();
        services.TryAddSingleton<IWorkflowWorkDispatcher, EngineWorkDispatcher>();
        services.AddSingleton<WorkflowScheduleReconciler>();
        services.TryAddSingleton<BacklogSweeper>();
        services.TryAddSingleton<INotificationSink, SqlNotificationSink>();
        services.AddSingleton<TaskReminderService>();
        services.AddSingleton<TaskDueStateEvaluator>();
        services.TryAddSingleton<ITimerFastForward, TimerFastForward>();

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = settings.SchedulerName;
                s.IdleWaitTime = settings.IdleWaitTime;
                s.MaxBatchSize = settings.MaxBatchSize;
                if (!string.IsNullOrWhiteSpace(settings.InstanceId))
                {
                    s.InstanceId = settings.InstanceId;
                }
            });
            q.UseDefaultThreadPool(settings.MaxConcurrency);
            q.UsePersistentStore(store =>
            {
                if (settings.Provider == QuartzStoreProvider.PostgreSql)
                {
                    store.UsePostgres(settings.ConnectionString);
                }
                else
                {
                    store.UseSqlite(settings.ConnectionString);
                }

                store.UseSystemTextJsonSerializer();
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = settings.TablePrefix;
                    o.MisfireThreshold = settings.MisfireThreshold;
                    o.SchemaProvisioning = settings.ProvisionSchema ? SchemaProvisioning.CreateIfMissing : SchemaProvisioning.Validate;
                });
                if (settings.IsClustered)
                {
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = settings.ClusterCheckinInterval;
                        c.CheckinMisfireThreshold = settings.ClusterCheckinMisfireThreshold;
                    });
                }
            });
        });

        // Reconcile before Quartz starts firing (hosted services start in registration order).
        services.AddHostedService<WorkflowQuartzStartup>();
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    private static void Validate(QuartzTimerOptions settings)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(QuartzTimerOptions.SectionName, typeof(QuartzTimerOptions),
                results.Select(r => $"{QuartzTimerOptions.SectionName}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }
    }

    private static void Copy(QuartzTimerOptions from, QuartzTimerOptions to)
    {
        foreach (var property in typeof(QuartzTimerOptions).GetProperties())
        {
            if (property.CanWrite)
            {
                property.SetValue(to, property.GetValue(from));
            }
        }
    }
}
