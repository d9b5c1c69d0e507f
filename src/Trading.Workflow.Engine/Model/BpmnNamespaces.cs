namespace Trading.Workflow.Engine.Model;

public static class BpmnNamespaces
{
    public const string Model = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    public const string Di = "http://www.omg.org/spec/BPMN/20100524/DI";

    /// <summary>Our extension namespace, conventionally prefixed <c>tw:</c>.</summary>
    public const string TradingWorkflow = "http://trading.workflow/schema/bpmn";

    public const string Camunda = "http://camunda.org/schema/1.0/bpmn";
    public const string Flowable = "http://flowable.org/bpmn";
    public const string Activiti = "http://activiti.org/bpmn";
}
