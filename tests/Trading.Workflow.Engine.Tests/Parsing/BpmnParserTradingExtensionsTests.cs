using Trading.Workflow.Engine.Model;

namespace Trading.Workflow.Engine.Tests.Parsing;

public sealed class BpmnParserTradingExtensionsTests
{
    private readonly ProcessModel _process = TestFiles.ParseParsingFile("tw-tender-announcement.bpmn").Processes.Single();

    [Fact]
    public void Parse_TwUserTask_ReadsEveryAttribute()
    {
        var draft = Assert.IsType<UserTask>(_process.FindNode("Task_Draft"));
        var review = Assert.IsType<UserTask>(_process.FindNode("Task_Review"));

        Assert.Equal(("${initiator}", "tender/announcement", "P2D", "P1D", "50"), (draft.Assignee, draft.FormKey, draft.DueDate, draft.FollowUpDate, draft.Priority));
        Assert.Equal(("chen.liu", "center-reviewer,center-director", "60"), (review.CandidateUsers, review.CandidateRoles, review.Priority));
    }

    [Fact]
    public void Parse_TwHandler_IsTheHandlerNameAsWritten()
    {
        var check = Assert.IsType<ServiceTask>(_process.FindNode("Task_Check"));
        var publish = Assert.IsType<SendTask>(_process.FindNode("Task_Publish"));

        Assert.Equal(("complianceCheck", ImplementationKind.Handler), (check.Handler, check.ImplementationKind));
        Assert.Equal("publishNotice", publish.Handler);
    }

    [Fact]
    public void Parse_TwAsyncAndAsyncAfter_AreRead()
    {
        Assert.True(_process.FindNode("Task_Check")!.AsyncBefore);
        Assert.True(_process.FindNode("Task_Publish")!.AsyncAfter);
        Assert.False(_process.FindNode("Task_Publish")!.AsyncBefore);
    }

    [Fact]
    public void Parse_TwInputAndOutput_AreExpressions()
    {
        var check = (Activity)_process.FindNode("Task_Check")!;

        Assert.Equal([new VariableMapping("code", null, "projectCode"), new VariableMapping("budgetLimit", null, "budget * 1.1")], check.InputMappings);
        Assert.Equal([new VariableMapping("compliant", null, "result.ok")], check.OutputMappings);
    }

    [Fact]
    public void Parse_TwCorrelationKeyOnMessageDefinition_IsRead()
    {
        var catchEvent = Assert.IsType<IntermediateCatchEvent>(_process.FindNode("Catch_Clarify"));

        var definition = Assert.IsType<MessageEventDefinition>(catchEvent.Definition);
        Assert.Equal("${projectCode}", definition.CorrelationKey);
        Assert.Equal("clarificationDeadline", definition.Message!.Name);
    }

    [Fact]
    public void Parse_TwCallActivityMappings_AreRead()
    {
        var call = Assert.IsType<CallActivity>(_process.FindNode("Call_Opening"));

        Assert.Equal(CallBinding.Latest, call.Binding);
        Assert.Equal("${projectCode}", call.BusinessKeyExpression);
        Assert.Equal([new VariableMapping("projectCode", "projectCode", null), new VariableMapping("ceilingPrice", null, "${budget}")], call.In);
        Assert.Equal([new VariableMapping("openingResult", "openingResult", null)], call.Out);
    }

    [Fact]
    public void Parse_EventSubProcess_IsItsOwnScopeWithItsTriggeringStart()
    {
        var eventSub = Assert.IsType<SubProcess>(_process.FindNode("EventSub_Withdraw"));
        var confirm = _process.FindNode("Task_ConfirmWithdraw")!;

        Assert.True(eventSub.TriggeredByEvent);
        Assert.Same(eventSub, Assert.Single(_process.EventSubProcesses));
        Assert.Equal("Start_Withdraw", Assert.Single(eventSub.EventStartEvents).Id);
        Assert.Empty(eventSub.StartEvents);
        Assert.Same(eventSub, confirm.Scope);
        Assert.Same(_process, confirm.Process);
        Assert.Equal(["Flow_W1", "Flow_W2"], eventSub.Flows.Select(f => f.Id));
        Assert.DoesNotContain(confirm, _process.Nodes);
    }

    [Fact]
    public void Parse_NonInterruptingTimerBoundary_IsRead()
    {
        var boundary = Assert.IsType<BoundaryEvent>(_process.FindNode("Boundary_Remind"));

        Assert.False(boundary.CancelActivity);
        Assert.Equal("P1D", Assert.IsType<TimerEventDefinition>(boundary.Definition).Value);
    }
}
