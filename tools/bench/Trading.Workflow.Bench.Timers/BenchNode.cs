using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Quartz;

namespace Trading.Workflow.Bench.Timers;

/// <summary>One application node: the engine on the durable store, timers on clustered Quartz, as the web app runs it.</summary>
public static class BenchNode
{
    public static void Configure(QuartzTimerOptions o, string connectionString, string node)
    {
        o.Provider = QuartzStoreProvider.PostgreSql;
        o.ConnectionString = connectionString;
        o.Clustered = true;
        o.InstanceId = node;
        o.MaxConcurrency = 10;
        o.MaxBatchSize = 10;
        o.IdleWaitTime = TimeSpan.FromSeconds(1);
        o.MisfireThreshold = TimeSpan.FromSeconds(60);
        o.ReconcileInterval = TimeSpan.Zero;
    }

    public static void AddServices(IServiceCollection services, string connectionString, string node)
    {
        services.AddWorkflowEngine().AddHandler(new RecordFiringHandler(node));
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = DatabaseProvider.PostgreSql;
            o.ConnectionString = connectionString;
        });
        services.Configure<TaskReminderOptions>(o => o.Enabled = false);
    }

    public static async Task RunAsync(string connectionString, string node)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        AddServices(builder.Services, connectionString, node);
        builder.AddQuartzTimers(o => Configure(o, connectionString, node));
        using var host = builder.Build();
        await host.StartAsync();
        Console.WriteLine("READY " + node);
        await host.WaitForShutdownAsync();
    }
}

/// <summary>The step after the timer: records the firing in the engine's transaction (a row exactly when the firing committed).</summary>
public sealed class RecordFiringHandler(string node) : IServiceTaskHandler
{
    public string Name => "recordFiring";

    public string Description => "Records the node that fired the timer (benchmark).";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        var transaction = (WorkflowTransaction)context.Transaction!;
        await using var command = transaction.Connection.CreateCommand();
        command.Transaction = transaction.Transaction;
        command.CommandText = "INSERT INTO bench_firings (instance_id, node, fired_at) VALUES (@instance, @node, clock_timestamp())";
        var instance = command.CreateParameter();
        instance.ParameterName = "instance";
        instance.Value = context.InstanceId;
        command.Parameters.Add(instance);
        var name = command.CreateParameter();
        name.ParameterName = "node";
        name.Value = node;
        command.Parameters.Add(name);
        await command.ExecuteNonQueryAsync(context.CancellationToken);
    }
}
