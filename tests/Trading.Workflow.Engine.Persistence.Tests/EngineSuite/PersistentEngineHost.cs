using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Runtime.Support;

namespace Trading.Workflow.Engine.Persistence.Tests.EngineSuite;

/// <summary>What the engine suite reads from the store besides the engine API.</summary>
internal sealed class StoreProbe(EfWorkflowStore store, WorkflowDatabase database)
{
    public ValueTask<IWorkflowSession> OpenSessionAsync() => store.OpenSessionAsync();

    public int InstanceCount
    {
        get
        {
            return Task.Run(async () =>
            {
                await using var connection = await database.OpenConnectionAsync();
                await using var db = database.CreateContext(connection);
                return await db.Instances.CountAsync();
            }).GetAwaiter().GetResult();
        }
    }
}

/// <summary>
/// The engine tests' host on the durable store: the engine built by DI with <c>AddWorkflowPersistence</c> on a fresh
/// database of the provider, the BPMN files linked from the engine tests.
/// </summary>
internal abstract class PersistentEngineHost : EngineHostBase
{
    private TestDatabase _database = null!;

    public StoreProbe Store { get; private set; } = null!;

    protected static async Task<THost> StartAsync<THost>(
        DatabaseProvider provider, string[] files, Action<WorkflowEngineBuilder>? configure, Action<WorkflowEngineOptions>? options,
        Func<IWorkflowStore, IWorkflowStore>? wrapStore = null)
        where THost : PersistentEngineHost, new()
    {
        var host = new THost { _database = await TestDatabase.CreateAsync(provider) };
        await host.InitializeAsync(files, configure, options, services => services.AddWorkflowPersistence(o =>
        {
            o.Provider = provider;
            o.ConnectionString = host._database.ConnectionString;
        }), wrapStore: wrapStore);
        host.Store = new StoreProbe(host.Services.GetRequiredService<EfWorkflowStore>(), host.Services.GetRequiredService<WorkflowDatabase>());
        return host;
    }

    /// <summary>Retires a version as the administrator does (wf_definitions state).</summary>
    public override async Task RetireAsync(string processId, int version) =>
        await Services.GetRequiredService<ProcessVersionService>().RetireAsync(processId, version, "admin");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }
}
