using Trading.Workflow.Engine.Persistence.Schema;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.EngineSuite.PostgreSql;

/// <summary>The engine behaviour tests' host on PostgreSql (the test files are compiled into this namespace by the .csproj).</summary>
internal sealed class EngineTestHost : PersistentEngineHost
{
    public static Task<EngineTestHost> StartAsync(
        string[] files, Action<WorkflowEngineBuilder>? configure = null, Action<WorkflowEngineOptions>? options = null, Func<IWorkflowStore, IWorkflowStore>? wrapStore = null) =>
        StartAsync<EngineTestHost>(DatabaseProvider.PostgreSql, files, configure, options, wrapStore);

    public static Task<EngineTestHost> StartAsync(params string[] files) => StartAsync(files, null);

    // Declared here as well: a method of the derived class would otherwise hide the base one for host.StartAsync("id").
    public Task<ProcessInstanceInfo> StartAsync(string processId, object? variables = null, string? businessKey = null) =>
        StartInstanceAsync(processId, variables, businessKey);
}
