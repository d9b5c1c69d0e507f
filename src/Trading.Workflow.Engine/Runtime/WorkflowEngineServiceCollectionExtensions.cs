using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Microsoft.Extensions.DependencyInjection;

public static class WorkflowEngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine with the in-memory store and definition repository, the engine's expression language and
    /// no commit observer, so timers and jobs fire when the host asks (<c>FireDueTimersAsync</c>,
    /// <c>ExecuteDueJobsAsync</c>); persistence replaces the store, Quartz adds itself as a commit observer. Working-day timers need <c>AddWorkingDayCalendar()</c> too.
    /// </summary>
    public static WorkflowEngineBuilder AddWorkflowEngine(this IServiceCollection services, Action<WorkflowEngineOptions>? configure = null)
    {
        var options = services.AddOptions<WorkflowEngineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkflowEngineOptions>, WorkflowEngineOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWorkflowStore, InMemoryWorkflowStore>();
        services.TryAddSingleton<IDefinitionRepository, InMemoryDefinitionRepository>();
        services.TryAddSingleton(ExpressionEngine.Default);
        services.TryAddSingleton<IExpressionEvaluator>(sp => new ExpressionEngineEvaluator(
            sp.GetRequiredService<ExpressionEngine>(),
            new EvaluationContext(sp.GetRequiredService<TimeProvider>(), sp.GetService<IBusinessCalendar>())));
        services.TryAddSingleton<ITaskCandidateScope, UnscopedTaskCandidates>();
        services.TryAddSingleton<HandlerRegistry>();
        services.TryAddSingleton<IServiceTaskHandlerCatalog>(sp => sp.GetRequiredService<HandlerRegistry>());
        services.TryAddSingleton(WorkflowEngineFactory.Create);
        services.TryAddSingleton<IWorkflowEngine>(sp => sp.GetRequiredService<WorkflowEngine>());
        return new WorkflowEngineBuilder(services);
    }

    /// <summary>
    /// Adds an observer told after each committed engine command (<see cref="IWorkflowCommitObserver"/>), resolved as
    /// the singleton <typeparamref name="T"/> (register it too if it has other uses); a type is added once.
    /// </summary>
    public static IServiceCollection AddWorkflowCommitObserver<T>(this IServiceCollection services)
        where T : class, IWorkflowCommitObserver
    {
        services.TryAddSingleton<T>();
        if (!services.Any(d => d.ServiceType == typeof(CommitObserverRegistration<T>)))
        {
            services.AddSingleton(new CommitObserverRegistration<T>());
            services.AddSingleton<IWorkflowCommitObserver>(sp => sp.GetRequiredService<T>());
        }

        return services;
    }

    /// <summary>Marks <typeparamref name="T"/> as added, so adding it twice tells it once.</summary>
    private sealed class CommitObserverRegistration<T>;
}

/// <summary>Adds handlers and replaces engine parts after <c>AddWorkflowEngine</c>.</summary>
public sealed class WorkflowEngineBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>Registers a handler type (scoped by default: one per command, so it may use scoped services such as a DbContext).</summary>
    public WorkflowEngineBuilder AddHandler<T>(ServiceLifetime lifetime = ServiceLifetime.Scoped)
        where T : class, IServiceTaskHandler
    {
        Services.TryAdd(new ServiceDescriptor(typeof(T), typeof(T), lifetime));
        Services.AddSingleton(new HandlerRegistration(typeof(T), null));
        return this;
    }

    /// <summary>Registers a ready handler instance (shared by every command).</summary>
    public WorkflowEngineBuilder AddHandler(IServiceTaskHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Services.AddSingleton(new HandlerRegistration(handler.GetType(), handler));
        return this;
    }

    public WorkflowEngineBuilder UseExpressionEvaluator<T>()
        where T : class, IExpressionEvaluator
    {
        Services.Replace(ServiceDescriptor.Singleton<IExpressionEvaluator, T>());
        return this;
    }

    public WorkflowEngineBuilder UseExpressionEvaluator(IExpressionEvaluator evaluator)
    {
        Services.Replace(ServiceDescriptor.Singleton(evaluator));
        return this;
    }

    public WorkflowEngineBuilder UseTimeProvider(TimeProvider time)
    {
        Services.Replace(ServiceDescriptor.Singleton(time));
        return this;
    }
}
