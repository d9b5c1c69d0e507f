using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime;

/// <summary>The behaviour tests' host on the in-memory store (the persistence tests have one of the same shape per provider).</summary>
internal sealed class EngineTestHost : EngineHostBase
{
    public InMemoryWorkflowStore Store => (InMemoryWorkflowStore)Services.GetRequiredService<IWorkflowStore>();

    public static async Task<EngineTestHost> StartAsync(
        string[] files, Action<WorkflowEngineBuilder>? configure = null, Action<WorkflowEngineOptions>? options = null, Func<IWorkflowStore, IWorkflowStore>? wrapStore = null)
    {
        var host = new EngineTestHost();
        await host.InitializeAsync(files, configure, options, wrapStore: wrapStore);
        return host;
    }

    public static Task<EngineTestHost> StartAsync(params string[] files) => StartAsync(files, null);

    /// <summary>
    /// The host for the scenario and conformance tests: files from Scenarios/Files (or absolute paths), handler
    /// instances, no working-day calendar unless asked.
    /// </summary>
    public static async Task<EngineTestHost> ScenarioAsync(
        IEnumerable<string> files,
        IEnumerable<IServiceTaskHandler>? handlers = null,
        Action<WorkflowEngineOptions>? configure = null,
        DateTimeOffset? now = null,
        bool workingDayCalendar = false)
    {
        var host = new EngineTestHost();
        await host.InitializeAsync(
            [.. files],
            builder =>
            {
                foreach (var handler in handlers ?? [])
                {
                    builder.AddHandler(handler);
                }
            },
            configure,
            folder: Path.Combine("Scenarios", "Files"),
            workingDayCalendar: workingDayCalendar,
            start: now);
        return host;
    }

    public static Task<EngineTestHost> ScenarioAsync(string file, params IServiceTaskHandler[] handlers) => ScenarioAsync([file], handlers);

    public override Task RetireAsync(string processId, int version) =>
        ((InMemoryDefinitionRepository)Services.GetRequiredService<IDefinitionRepository>()).Retire(processId, version)
            ? Task.CompletedTask
            : throw new InvalidOperationException($"{processId}:{version} is not a deployed version that can be retired.");

    // Declared here as well: a method of the derived class would otherwise hide the base one for host.StartAsync("id").
    public Task<ProcessInstanceInfo> StartAsync(string processId, object? variables = null, string? businessKey = null) =>
        StartInstanceAsync(processId, variables, businessKey);
}
