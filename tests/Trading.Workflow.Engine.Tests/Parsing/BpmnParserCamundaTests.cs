using Trading.Workflow.Engine.Model;

namespace Trading.Workflow.Engine.Tests.Parsing;

public sealed class BpmnParserCamundaTests
{
    private readonly ProcessModel _process = TestFiles.ParseParsingFile("camunda-modeler-5.bpmn").Processes.Single();

    [Fact]
    public void Parse_CamundaModeler5_ReadsDefinitionsHeaderAndProcess()
    {
        var definitions = _process.Definitions;

        Assert.Equal("Definitions_0x7kq2m", definitions.Id);
        Assert.Equal("Camunda Modeler", definitions.Exporter);
        Assert.Equal("supplier-onboarding", _process.Id);
        Assert.Equal("供应商入库", _process.Name);
        Assert.True(_process.IsExecutable);
        Assert.Equal("2.1", _process.VersionTag);
        Assert.Empty(definitions.ParseProblems);
    }

    [Fact]
    public void Parse_CamundaUserTask_ReadsAssignmentFormDatesAndPriority()
    {
        var task = Assert.IsType<UserTask>(_process.FindNode("Task_Review"));

        Assert.Equal("审核 ${supplierName} 的资料", task.Name);
        Assert.Equal("检查营业执照和资质证书", task.Documentation);
        Assert.Equal("${initiator}", task.Assignee);
        Assert.Equal("zhang.san,li.si", task.CandidateUsers);
        Assert.Equal("purchasing,audit", task.CandidateRoles);
        Assert.Equal("embedded:app:forms/review.html", task.FormKey);
        Assert.Equal("${dueDate}", task.DueDate);
        Assert.Equal("P1D", task.FollowUpDate);
        Assert.Equal("60", task.Priority);
    }

    [Fact]
    public void Parse_CamundaInputOutput_ReadsConstantsAndExpressions()
    {
        var task = _process.FindNode("Task_Review")!;
        var activity = Assert.IsAssignableFrom<Activity>(task);

        Assert.Equal(
            [new VariableMapping("reviewLevel", null, null, Constant: "senior"), new VariableMapping("limit", null, "${amount * 2}")],
            activity.InputMappings);
        Assert.Equal([new VariableMapping("approved", null, "${decision == 'ok'}")], activity.OutputMappings);
    }

    [Theory]
    [InlineData("Task_Register", ImplementationKind.Class, "RegisterSupplierDelegate", "com.example.trading.delegate.RegisterSupplierDelegate")]
    [InlineData("Task_Notify", ImplementationKind.DelegateExpression, "notifyApplicant", "${notifyApplicant}")]
    [InlineData("Task_Archive", ImplementationKind.External, "archive-documents", "archive-documents")]
    [InlineData("Task_Score", ImplementationKind.Expression, "creditService.score", "${creditService.score(execution, supplierId)}")]
    public void Parse_CamundaServiceTask_MapsImplementationToHandler(string id, ImplementationKind kind, string handler, string implementation)
    {
        var task = Assert.IsType<ServiceTask>(_process.FindNode(id));

        Assert.Equal(kind, task.ImplementationKind);
        Assert.Equal(handler, task.Handler);
        Assert.Equal(implementation, task.Implementation);
    }

    [Fact]
    public void Parse_CamundaResultVariable_IsRead()
    {
        var task = Assert.IsType<ServiceTask>(_process.FindNode("Task_Score"));

        Assert.Equal("creditScore", task.ResultVariable);
    }

    [Fact]
    public void Parse_CamundaAsyncBeforeAndAfter_AreRead()
    {
        Assert.True(_process.FindNode("Task_Register")!.AsyncBefore);
        Assert.False(_process.FindNode("Task_Register")!.AsyncAfter);
        Assert.True(_process.FindNode("Task_Notify")!.AsyncAfter);
        Assert.False(_process.FindNode("Task_Notify")!.AsyncBefore);
    }

    [Fact]
    public void Parse_CamundaCallActivity_ReadsBindingAndMappings()
    {
        var call = Assert.IsType<CallActivity>(_process.FindNode("Call_Check"));

        Assert.Equal("supplier-check", call.CalledElement);
        Assert.Equal(CallBinding.Version, call.Binding);
        Assert.Equal(3, call.BoundVersion);
        Assert.Null(call.BusinessKeyExpression);
        Assert.Equal(
            [new VariableMapping("id", "supplierId", null), new VariableMapping("total", null, "${amount + 1}")],
            call.In);
        Assert.Equal(
            [new VariableMapping("checkResult", "checkResult", null), new VariableMapping(null, null, null, AllVariables: true)],
            call.Out);
    }

    [Fact]
    public void Parse_CamundaMultiInstance_ReadsCollectionElementVariableAndCompletion()
    {
        var task = Assert.IsType<UserTask>(_process.FindNode("Task_Sign"));

        Assert.Equal(
            new MultiInstanceLoop(true, null, "${signers}", "signer", "${nrOfCompletedInstances >= 2}"),
            task.MultiInstance);
    }

    [Fact]
    public void Parse_ExclusiveGateway_ResolvesDefaultAndConditionalFlows()
    {
        var gateway = Assert.IsType<ExclusiveGateway>(_process.FindNode("Gateway_Approved"));

        Assert.Equal(["Flow_Approved", "Flow_Rejected"], gateway.Outgoing.Select(f => f.Id));
        Assert.Equal("Flow_Rejected", gateway.DefaultFlowId);
        Assert.True(_process.FindFlow("Flow_Rejected")!.IsDefault);
        Assert.False(_process.FindFlow("Flow_Approved")!.IsDefault);
        Assert.Equal("${approved == true}", _process.FindFlow("Flow_Approved")!.Condition);
        Assert.Null(_process.FindFlow("Flow_Rejected")!.Condition);
    }

    [Fact]
    public void Parse_SequenceFlows_ResolveSourceAndTargetNodes()
    {
        var flow = _process.FindFlow("Flow_2")!;

        Assert.Same(_process.FindNode("Task_Review"), flow.Source);
        Assert.Same(_process.FindNode("Gateway_Approved"), flow.Target);
        Assert.Same(flow, Assert.Single(_process.FindNode("Gateway_Approved")!.Incoming));
        Assert.Equal(["Flow_4", "Flow_Timeout"], _process.FindNode("End_Rejected")!.Incoming.Select(f => f.Id));
    }

    [Fact]
    public void Parse_BoundaryEvents_AreAttachedToTheirActivities()
    {
        var review = Assert.IsType<UserTask>(_process.FindNode("Task_Review"));
        var timeout = Assert.IsType<BoundaryEvent>(_process.FindNode("Boundary_Timeout"));

        Assert.Same(review, timeout.AttachedTo);
        Assert.Same(timeout, Assert.Single(review.BoundaryEvents));
        Assert.True(timeout.CancelActivity);
        var timer = Assert.IsType<TimerEventDefinition>(timeout.Definition);
        Assert.Equal(TimerKind.Duration, timer.Kind);
        Assert.Equal("P3D", timer.Value);
    }

    [Fact]
    public void Parse_ErrorBoundaryEvent_ResolvesErrorWithCode()
    {
        var boundary = Assert.IsType<BoundaryEvent>(_process.FindNode("Boundary_Error"));

        var definition = Assert.IsType<ErrorEventDefinition>(boundary.Definition);
        Assert.Equal(new ErrorDefinition("Error_CheckFailed", "核查失败", "CHECK_FAILED"), definition.Error);
    }

    [Fact]
    public void Parse_ProcessScope_ListsNodesFlowsAndStartEvents()
    {
        Assert.Equal(14, _process.Nodes.Count);
        Assert.Equal(12, _process.Flows.Count);
        Assert.Equal("StartEvent_1", Assert.Single(_process.StartEvents).Id);
        Assert.Empty(_process.EventStartEvents);
        Assert.All(_process.Nodes, n => Assert.Same(_process, n.Scope));
        Assert.All(_process.Nodes, n => Assert.Same(_process, n.Process));
        Assert.Equal(26, _process.Elements.Count);
    }

    [Fact]
    public void Parse_VendorAttributes_AreKeptAsExtensionAttributes()
    {
        var start = _process.FindNode("StartEvent_1")!;

        Assert.Equal("initiator", start.ExtensionAttributes["{http://camunda.org/schema/1.0/bpmn}initiator"]);
    }

    [Fact]
    public void Parse_DifferentPrefixForBpmnNamespace_YieldsTheSameModel()
    {
        var text = File.ReadAllText(TestFiles.Parsing("camunda-modeler-5.bpmn"))
            .Replace("xmlns:bpmn=", "xmlns:semantic=", StringComparison.Ordinal)
            .Replace("<bpmn:", "<semantic:", StringComparison.Ordinal)
            .Replace("</bpmn:", "</semantic:", StringComparison.Ordinal)
            .Replace("\"bpmn:tFormalExpression\"", "\"semantic:tFormalExpression\"", StringComparison.Ordinal);

        var process = Engine.Parsing.BpmnParser.Parse(text).Processes.Single();

        Assert.DoesNotContain("<bpmn:", text, StringComparison.Ordinal);
        Assert.Equal(_process.Elements.Keys.Order(), process.Elements.Keys.Order());
        Assert.Equal("Flow_Rejected", process.FindNode("Gateway_Approved")!.DefaultFlowId);
    }
}
