using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Admin;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Tests.Inbox;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Instances;

/// <summary>Fails every call: its async step opens an incident after the one retry the factory allows.</summary>
internal sealed class UnreachableRegistryHandler : IServiceTaskHandler
{
    public string Name => "unreachableRegistry";

    public string Description => "Always fails (tests)";

    public ValueTask ExecuteAsync(ServiceTaskContext context) => throw new InvalidOperationException("registry unreachable");
}

/// <summary>The app with a procedure whose async step always fails, so its instances carry an open incident.</summary>
public sealed class IncidentFactory : IAsyncLifetime
{
    public PlatformFactory App { get; private set; } = default!;

    public Task InitializeAsync()
    {
        App = new PlatformFactory(configureServices: services =>
        {
            new WorkflowEngineBuilder(services).AddHandler(new UnreachableRegistryHandler());
            services.Configure<WorkflowEngineOptions>(o => o.DefaultJobRetries = 1);
        });
        _ = App.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>Retrying an incident from the web: the reason and the typed variables go into the one engine command.</summary>
public sealed class IncidentRetryTests(IncidentFactory factory) : IClassFixture<IncidentFactory>
{
    private const string Bpmn = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:tw="http://trading.workflow/schema/bpmn" id="defs" targetNamespace="http://trading.workflow/tests">
          <bpmn:process id="registry-sync" name="登记同步" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="register" />
            <bpmn:serviceTask id="register" tw:handler="unreachableRegistry" camunda:asyncBefore="true" />
            <bpmn:sequenceFlow id="f2" sourceRef="register" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private static readonly WorkflowUser Ops = new("ops", [PlatformRoles.Administrator]);

    private IWorkflowEngine Engine => factory.App.Services.GetRequiredService<IWorkflowEngine>();

    private async Task<(Guid InstanceId, Guid IncidentId)> IncidentAsync()
    {
        if ((await Engine.GetLatestDefinitionsAsync()).All(d => d.ProcessId != "registry-sync"))
        {
            await Engine.DeployAsync(BpmnParser.Parse(Bpmn), "designer");
        }

        var instance = await Engine.StartAsync("registry-sync", "REG-" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, object?> { ["endpoint"] = "primary" });
        var admin = factory.App.Services.GetRequiredService<WorkflowAdminService>();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if ((await admin.GetOpenIncidentsAsync(0, 1000)).Items.FirstOrDefault(i => i.InstanceId == instance.Id) is { } incident)
            {
                return (instance.Id, incident.Id);
            }

            // The app's scheduler may run the job first; either way it fails once and opens the incident.
            await Engine.ExecuteDueJobsAsync();
            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"No incident opened on {instance.Id}.");
    }

    private async Task RetryAsync(Guid incidentId, string reason, IReadOnlyDictionary<string, object?>? variables)
    {
        await using var scope = factory.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<InstanceService>().RetryIncidentAsync(Ops, incidentId, reason, variables);
    }

    [Fact]
    public async Task RetryIncident_WithTypedVariables_SetsThemAndRecordsTheReasonInTheRetryItself()
    {
        var (instanceId, incidentId) = await IncidentAsync();
        var (variables, _) = VariableInput.Read([new VariableInputRow { Name = "endpoint", Type = VariableInputType.Text, Value = "backup" }]);

        await RetryAsync(incidentId, "切换到备用登记接口", variables);

        Assert.Equal("backup", (await Engine.GetVariablesAsync(instanceId))["endpoint"]);
        var history = await Engine.GetHistoryAsync(instanceId);
        var action = Assert.Single(history, h => h.Type == HistoryEventType.AdminAction);
        Assert.Equal("ops", action.UserId);
        Assert.Contains("切换到备用登记接口", action.Details, StringComparison.Ordinal);
        Assert.Contains(history, h => h.Type == HistoryEventType.VariableUpdated && h.VariableName == "endpoint" && h.UserId == "ops");
    }

    [Fact]
    public async Task RetryIncident_RefusedOnSuspendedInstance_LeavesNeitherNoteNorVariable()
    {
        var (instanceId, incidentId) = await IncidentAsync();
        await Engine.SuspendInstanceAsync(instanceId, "核查中", "ops");

        await Assert.ThrowsAsync<InstanceSuspendedException>(() => RetryAsync(incidentId, "切换到备用登记接口", new Dictionary<string, object?> { ["endpoint"] = "backup" }));

        Assert.Equal("primary", (await Engine.GetVariablesAsync(instanceId))["endpoint"]);
        Assert.DoesNotContain(await Engine.GetHistoryAsync(instanceId), h => h.Type == HistoryEventType.AdminAction);
    }

    [Fact]
    public async Task RetryApi_WithTypedVariables_SetsThemInTheRetryCommand()
    {
        var (instanceId, incidentId) = await IncidentAsync();
        var api = await WorkflowApiClient.SignInAsync(factory.App, "admin");

        var response = await api.PostAsync($"/api/workflow/incidents/{incidentId}/retry", new
        {
            reason = "切换到备用登记接口",
            variables = new Dictionary<string, object> { ["endpoint"] = "backup", ["deadline"] = new Dictionary<string, string> { ["$date"] = "2026-12-01" } },
        });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var variables = await Engine.GetVariablesAsync(instanceId);
        Assert.Equal(("backup", new DateOnly(2026, 12, 1)), (variables["endpoint"], variables["deadline"]));
    }

    [Fact]
    public async Task RetryApi_WithMalformedTypedValue_Returns400AndChangesNothing()
    {
        var (instanceId, incidentId) = await IncidentAsync();
        var api = await WorkflowApiClient.SignInAsync(factory.App, "admin");

        var response = await api.PostAsync($"/api/workflow/incidents/{incidentId}/retry", new
        {
            reason = "切换到备用登记接口",
            variables = new Dictionary<string, object> { ["deadline"] = new Dictionary<string, string> { ["$date"] = "下周一" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("primary", (await Engine.GetVariablesAsync(instanceId))["endpoint"]);
        var admin = factory.App.Services.GetRequiredService<WorkflowAdminService>();
        Assert.Contains((await admin.GetOpenIncidentsAsync(0, 1000)).Items, i => i.Id == incidentId);
    }
}
