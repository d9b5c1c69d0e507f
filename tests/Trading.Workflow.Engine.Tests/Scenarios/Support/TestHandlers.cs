using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Engine.Tests.Scenarios.Support;

/// <summary>Handlers the scenario files name.</summary>
public static class TestHandlers
{
    /// <summary>"raiser": raises the BPMN error whose code is in the variable <c>code</c>.</summary>
    public static DelegateHandler Raiser() => new("raiser", c => c.ThrowBpmnError((string)c.GetVariable("code")!));

    /// <summary>A handler that only counts its calls.</summary>
    public static DelegateHandler Noop(string name) => new(name, (ServiceTaskContext _) => { });
}
