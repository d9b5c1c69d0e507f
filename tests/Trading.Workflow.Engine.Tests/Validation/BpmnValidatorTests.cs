using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Tests.Parsing;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Engine.Tests.Validation;

public sealed class BpmnValidatorTests
{
    private static ValidationProblem Single(IReadOnlyList<ValidationProblem> problems, string elementId, string code)
    {
        var matches = problems.Where(p => p.ElementId == elementId && p.Code == code).ToList();
        return Assert.Single(matches);
    }

    private static void AssertNone(IReadOnlyList<ValidationProblem> problems, string elementId) =>
        Assert.DoesNotContain(problems, p => p.ElementId == elementId);

    [Fact]
    public void Validate_ValidTradingProcedure_HasNoProblems()
    {
        var checks = new ValidationTestContext();
        var definitions = TestFiles.ParseParsingFile("tw-tender-announcement.bpmn");

        var problems = BpmnValidator.Validate(definitions, checks.Create());

        Assert.Empty(problems);
        Assert.True(checks.ExpressionChecks >= 8, $"only {checks.ExpressionChecks} expressions were checked");
        Assert.True(checks.TimerChecks >= 3, $"only {checks.TimerChecks} timers were checked");
    }

    [Fact]
    public void Validate_ValidCamundaProcedure_HasNoProblems()
    {
        var definitions = TestFiles.ParseParsingFile("camunda-modeler-5.bpmn");
        var context = new ValidationTestContext().Create(
            handlers: ["RegisterSupplierDelegate", "notifyApplicant", "archive-documents", "creditService.score"],
            processes: ["supplier-check"]);

        var problems = BpmnValidator.Validate(definitions, context);

        Assert.Empty(problems);
    }

    [Fact]
    public void Validate_NoneMessageAndTimerStartsWithEventSubProcesses_HasNoProblems()
    {
        var problems = ValidationTestContext.Validate("start-events.bpmn");

        Assert.Empty(problems);
    }

    [Fact]
    public void Parse_StartEvents_AreSplitIntoNoneAndEventStarts()
    {
        var process = TestFiles.ParseValidationFile("start-events.bpmn").Processes.Single();

        Assert.Equal(["Start_None"], process.StartEvents.Select(s => s.Id));
        Assert.Equal(["Start_Message", "Start_Timer"], process.EventStartEvents.Select(s => s.Id));
        Assert.Equal(["EventSub_AnyError", "EventSub_Suspend"], process.EventSubProcesses.Select(s => s.Id));
        Assert.False(process.EventSubProcesses[1].EventStartEvents.Single().IsInterrupting);
    }

    [Fact]
    public void Validate_Problem_CarriesProcessIdSeverityAndBothLanguages()
    {
        var problem = Single(ValidationTestContext.Validate("unreachable.bpmn"), "Task_Orphan", ValidationCodes.Unreachable);

        Assert.Equal("unreachable", problem.ProcessId);
        Assert.Equal(ValidationSeverity.Error, problem.Severity);
        Assert.Contains("不可达", problem.MessageZh, StringComparison.Ordinal);
        Assert.Contains("unreachable", problem.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ProcessWithoutStartEvent_ReportsTheProcess()
    {
        var problems = ValidationTestContext.Validate("no-start-event.bpmn");

        Single(problems, "no-start", ValidationCodes.NoStartEvent);
    }

    [Fact]
    public void Validate_ElementsNotReachableFromStart_AreEachReported()
    {
        var problems = ValidationTestContext.Validate("unreachable.bpmn");

        Assert.Equal(
            ["End_Orphan", "Task_Orphan"],
            problems.Where(p => p.Code == ValidationCodes.Unreachable).Select(p => p.ElementId).Order());
    }

    [Fact]
    public void Validate_GatewayWithoutOutgoingFlow_IsAnError()
    {
        var problems = ValidationTestContext.Validate("dead-ends.bpmn");

        Assert.Equal(ValidationSeverity.Error, Single(problems, "Gateway_Stuck", ValidationCodes.GatewayNoOutgoing).Severity);
    }

    [Fact]
    public void Validate_IntermediateEventWithoutOutgoingFlow_IsADeadEnd()
    {
        var problems = ValidationTestContext.Validate("dead-ends.bpmn");

        Assert.Equal(ValidationSeverity.Error, Single(problems, "Catch_Stuck", ValidationCodes.DeadEnd).Severity);
    }

    [Fact]
    public void Validate_ActivityWithoutOutgoingFlow_IsAnImplicitEndWarning()
    {
        var problems = ValidationTestContext.Validate("dead-ends.bpmn");

        Assert.Equal(ValidationSeverity.Warning, Single(problems, "Task_ImplicitEnd", ValidationCodes.ImplicitEnd).Severity);
    }

    [Fact]
    public void Validate_ExclusiveGatewayFlowWithoutCondition_IsReportedOnTheFlow()
    {
        var problems = ValidationTestContext.Validate("gateway-conditions.bpmn");

        Assert.Equal(ValidationSeverity.Error, Single(problems, "Flow_XNoCond", ValidationCodes.ConditionMissing).Severity);
        AssertNone(problems, "Flow_XDefault");
        AssertNone(problems, "Flow_XCond");
    }

    [Fact]
    public void Validate_InclusiveGatewayFlowWithoutCondition_IsAWarningOnTheFlow()
    {
        var problems = ValidationTestContext.Validate("gateway-conditions.bpmn");

        Assert.Equal(ValidationSeverity.Warning, Single(problems, "Flow_INoCond", ValidationCodes.ConditionMissing).Severity);
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void Validate_ConditionThatDoesNotParse_IsReportedWithTheCheckersMessage()
    {
        var problems = ValidationTestContext.Validate("expressions-and-timers.bpmn");

        var problem = Single(problems, "Flow_BadCondition", ValidationCodes.ExpressionInvalid);
        Assert.Contains("unbalanced brackets", problem.MessageEn, StringComparison.Ordinal);
        Assert.Contains("unbalanced brackets", problem.MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AssigneeExpressionThatDoesNotParse_IsReported()
    {
        var problems = ValidationTestContext.Validate("expressions-and-timers.bpmn");

        Single(problems, "Task_BadAssignee", ValidationCodes.ExpressionInvalid);
    }

    [Fact]
    public void Validate_TimerThatDoesNotParse_IsReported()
    {
        var problems = ValidationTestContext.Validate("expressions-and-timers.bpmn");

        Single(problems, "Timer_Bad", ValidationCodes.TimerInvalid);
        AssertNone(problems, "Timer_Good");
    }

    [Fact]
    public void Validate_TimerWithoutValue_IsReported()
    {
        var problems = ValidationTestContext.Validate("expressions-and-timers.bpmn");

        Single(problems, "Timer_Empty", ValidationCodes.TimerEmpty);
    }

    [Fact]
    public void Validate_WithoutSyntaxCheckers_SkipsExpressionAndTimerChecks()
    {
        var problems = ValidationTestContext.Validate("expressions-and-timers.bpmn", ValidationContext.Default);

        Assert.DoesNotContain(problems, p => p.Code is ValidationCodes.ExpressionInvalid or ValidationCodes.TimerInvalid);
        Single(problems, "Timer_Empty", ValidationCodes.TimerEmpty);
    }

    [Fact]
    public void Validate_ServiceTaskWithUnregisteredHandler_IsReported()
    {
        var problems = ValidationTestContext.Validate("tasks.bpmn");

        var problem = Single(problems, "Task_UnknownHandler", ValidationCodes.HandlerUnknown);
        Assert.Contains("launchRockets", problem.MessageEn, StringComparison.Ordinal);
        AssertNone(problems, "Task_KnownClass");
    }

    [Fact]
    public void Validate_MessageThrowWithUnknownHandler_IsReported()
    {
        var problems = ValidationTestContext.Validate("message-senders.bpmn");

        var problem = Single(problems, "Throw_Unknown", ValidationCodes.HandlerUnknown);
        Assert.Contains("faxNotice", problem.MessageEn, StringComparison.Ordinal);
        Assert.Contains("faxNotice", problem.MessageZh, StringComparison.Ordinal);
        AssertNone(problems, "Throw_Known");
        AssertNone(problems, "Throw_Plain");
    }

    [Fact]
    public void Validate_MessageEndWhoseImplementationMapsToNoHandler_IsReported()
    {
        var problems = ValidationTestContext.Validate("message-senders.bpmn");

        Single(problems, "End_Unmappable", ValidationCodes.ServiceNoHandler);
    }

    [Fact]
    public void Validate_WithoutKnownHandlers_SkipsTheHandlerCheck()
    {
        var problems = ValidationTestContext.Validate("tasks.bpmn", ValidationContext.Default);

        Assert.DoesNotContain(problems, p => p.Code == ValidationCodes.HandlerUnknown);
    }

    [Fact]
    public void Validate_ServiceTaskWithoutImplementation_IsReported()
    {
        var problems = ValidationTestContext.Validate("tasks.bpmn");

        Single(problems, "Task_NoImplementation", ValidationCodes.ServiceNoHandler);
    }

    [Fact]
    public void Validate_UserTaskNobodyCanReceive_IsAWarning()
    {
        var problems = ValidationTestContext.Validate("tasks.bpmn");

        Assert.Equal(ValidationSeverity.Warning, Single(problems, "Task_Nobody", ValidationCodes.UserTaskNoReceiver).Severity);
    }

    [Fact]
    public void Validate_ScriptTask_IsRefused()
    {
        var problems = ValidationTestContext.Validate("tasks.bpmn");

        Assert.Equal(ValidationSeverity.Error, Single(problems, "Task_Script", ValidationCodes.ScriptTaskRefused).Severity);
    }

    [Fact]
    public void Validate_CallActivityToUnknownProcess_IsReported()
    {
        var problems = ValidationTestContext.Validate("tasks.bpmn");

        Single(problems, "Call_Unknown", ValidationCodes.CallUnknownProcess);
    }

    [Fact]
    public void Validate_CallActivityToProcessInSameFileOrDeployed_IsAccepted()
    {
        var problems = ValidationTestContext.Validate("tasks.bpmn");

        AssertNone(problems, "Call_SameFile");
        AssertNone(problems, "Call_Deployed");
    }

    [Fact]
    public void Validate_ScriptConditionLanguage_IsRefused()
    {
        var problems = ValidationTestContext.Validate("scripts-elsewhere.bpmn");

        Single(problems, "Flow_GroovyCondition", ValidationCodes.ScriptRefused);
    }

    [Fact]
    public void Validate_ScriptInputParameter_IsRefused()
    {
        var problems = ValidationTestContext.Validate("scripts-elsewhere.bpmn");

        Single(problems, "Task_WithScriptInput", ValidationCodes.ScriptRefused);
    }

    [Fact]
    public void Validate_ExecutionListener_IsAWarningThatItIsIgnored()
    {
        var problems = ValidationTestContext.Validate("scripts-elsewhere.bpmn");

        Assert.Equal(ValidationSeverity.Warning, Single(problems, "Task_WithListener", ValidationCodes.ListenerIgnored).Severity);
    }

    [Theory]
    [InlineData("Gateway_Complex", ValidationCodes.UnsupportedElement)]
    [InlineData("Transaction_1", ValidationCodes.UnsupportedElement)]
    [InlineData("Throw_Link", ValidationCodes.UnsupportedEvent)]
    [InlineData("Catch_Conditional", ValidationCodes.UnsupportedEvent)]
    [InlineData("End_Escalation", ValidationCodes.UnsupportedEvent)]
    [InlineData("Boundary_Compensate", ValidationCodes.UnsupportedEvent)]
    public void Validate_UnsupportedElement_IsReported(string elementId, string code)
    {
        var problems = ValidationTestContext.Validate("unsupported-elements.bpmn");

        Single(problems, elementId, code);
    }

    [Theory]
    [InlineData("Flow_ToNowhere", ValidationCodes.BrokenReference)]
    [InlineData("Catch_UnknownMessage", ValidationCodes.BrokenReference)]
    [InlineData("Lane_1", ValidationCodes.BrokenReference)]
    [InlineData("Gateway_1", ValidationCodes.DefaultFlowInvalid)]
    [InlineData("Boundary_Orphan", ValidationCodes.BoundaryNotAttached)]
    [InlineData("Task_A", ValidationCodes.DuplicateId)]
    public void Validate_BrokenReference_IsReportedOnTheReferringElement(string elementId, string code)
    {
        var problems = ValidationTestContext.Validate("broken-references.bpmn");

        Single(problems, elementId, code);
    }

    [Fact]
    public void Validate_ElementWithoutId_GetsAGeneratedIdInsteadOfAProblem()
    {
        var definitions = TestFiles.ParseValidationFile("broken-references.bpmn");

        var problems = BpmnValidator.Validate(definitions, new ValidationTestContext().Create());

        Assert.DoesNotContain(problems, p => p.Code == ValidationCodes.MissingId);
        Assert.Contains(definitions.Processes.Single().Nodes, n => n.Name == "没有 id" && n.Id == "ManualTask_1");
    }

    [Fact]
    public void Validate_ProcessWithoutId_IsReportedWithItsLine()
    {
        var definitions = BpmnParser.Parse("""
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
              <process isExecutable="true"><startEvent id="s" /></process>
            </definitions>
            """);

        var problem = Assert.Single(definitions.ParseProblems, p => p.Code == ValidationCodes.MissingId);
        Assert.Equal(2, problem.LineNumber);
        Assert.Null(problem.ElementId);
    }

    [Fact]
    public void Parse_BrokenReferences_LeaveOutTheBrokenElementsAndKeepTheRest()
    {
        var process = TestFiles.ParseValidationFile("broken-references.bpmn").Processes.Single();

        Assert.Null(process.FindFlow("Flow_ToNowhere"));
        Assert.Null(process.FindNode("Boundary_Orphan"));
        Assert.Null(process.FindFlow("Flow_FromOrphan"));
        Assert.Null(process.FindNode("Gateway_1")!.DefaultFlowId);
        Assert.Equal("A", process.FindNode("Task_A")!.Name);
        Assert.Equal(["Flow_NotMine"], process.FindNode("Task_A")!.Outgoing.Select(f => f.Id));
        Assert.Equal(["Start_1"], process.Lanes.Single().FlowNodeRefs);
    }

    [Theory]
    [InlineData("Participant_Ghost")]
    [InlineData("MessageFlow_Broken")]
    public void Validate_CollaborationReferenceToNothing_IsReported(string elementId)
    {
        var problems = ValidationTestContext.Validate("broken-collaboration.bpmn");

        Single(problems, elementId, ValidationCodes.BrokenReference);
    }

    [Fact]
    public void Parse_BrokenMessageFlow_IsLeftOutAndTheValidOneKept()
    {
        var collaboration = TestFiles.ParseValidationFile("broken-collaboration.bpmn").Collaboration!;

        Assert.Equal("MessageFlow_Ok", Assert.Single(collaboration.MessageFlows).Id);
        Assert.Null(collaboration.Participants.Single(p => p.Id == "Participant_Ghost").ProcessRef);
    }

    [Fact]
    public void Validate_MessageEventWithoutMessage_IsReported()
    {
        var problems = ValidationTestContext.Validate("events-without-definitions.bpmn");

        Single(problems, "Catch_NoMessage", ValidationCodes.MessageMissing);
    }

    [Fact]
    public void Validate_SignalEventWithoutSignal_IsReported()
    {
        var problems = ValidationTestContext.Validate("events-without-definitions.bpmn");

        Single(problems, "Throw_NoSignal", ValidationCodes.SignalMissing);
    }

    [Fact]
    public void Validate_IntermediateCatchEventWithoutDefinition_IsReported()
    {
        var problems = ValidationTestContext.Validate("events-without-definitions.bpmn");

        Single(problems, "Catch_Nothing", ValidationCodes.CatchEventNoDefinition);
    }

    [Fact]
    public void Validate_NonInterruptingErrorBoundary_IsReported()
    {
        var problems = ValidationTestContext.Validate("events-without-definitions.bpmn");

        Single(problems, "Boundary_ErrorNonInterrupting", ValidationCodes.ErrorBoundaryNonInterrupting);
    }

    [Fact]
    public void Validate_ErrorEndEventWithoutError_IsReported()
    {
        var problems = ValidationTestContext.Validate("events-without-definitions.bpmn");

        Single(problems, "End_ErrorNoRef", ValidationCodes.ErrorEndNoError);
    }

    [Fact]
    public void Validate_NonExecutableProcess_IsOnlyAWarningThatItCannotStart()
    {
        var problems = ValidationTestContext.Validate("non-executable.bpmn");

        var problem = Assert.Single(problems);
        Assert.Equal(("sketch", ValidationCodes.ProcessNotExecutable, ValidationSeverity.Warning), (problem.ElementId, problem.Code, problem.Severity));
        Assert.False(problems.HasErrors());
    }

    [Fact]
    public void Validate_FileWithoutProcess_IsReported()
    {
        var problems = ValidationTestContext.Validate("no-process.bpmn");

        Assert.Equal(ValidationCodes.NoProcess, Assert.Single(problems).Code);
    }

    [Fact]
    public void Validate_MultiInstanceWithoutCardinalityOrCollection_IsReported()
    {
        var problems = ValidationTestContext.Validate("multi-instance-and-subprocess.bpmn");

        Single(problems, "Task_EmptyLoop", ValidationCodes.MultiInstanceEmpty);
    }

    [Fact]
    public void Validate_EmbeddedSubProcessWithoutStart_IsReported()
    {
        var problems = ValidationTestContext.Validate("multi-instance-and-subprocess.bpmn");

        Single(problems, "Sub_NoStart", ValidationCodes.NoStartEvent);
    }

    [Fact]
    public void Validate_CollaborationWithExternalPool_WarnsOnlyAboutTheNonExecutablePool()
    {
        var definitions = TestFiles.ParseParsingFile("collaboration-two-pools.bpmn");
        var context = new ValidationTestContext().Create(handlers: ["inviteBidders"]);

        var problems = BpmnValidator.Validate(definitions, context);

        var problem = Assert.Single(problems);
        Assert.Equal(("Process_Bidder", ValidationCodes.ProcessNotExecutable), (problem.ElementId, problem.Code));
    }

    [Theory]
    [InlineData("Start_B", ValidationCodes.MultipleNoneStartEvents)]
    [InlineData("Start_A", ValidationCodes.StartHasIncoming)]
    [InlineData("End_WithOutgoing", ValidationCodes.EndHasOutgoing)]
    [InlineData("Catch_Ping", ValidationCodes.MultipleEventDefinitions)]
    [InlineData("Task_AfterEventGateway", ValidationCodes.EventGatewayTarget)]
    [InlineData("Flow_ParallelWithCondition", ValidationCodes.ConditionIgnored)]
    [InlineData("Task_UnmappableExpression", ValidationCodes.ServiceNoHandler)]
    [InlineData("Sub_Start", ValidationCodes.StartEventInvalid)]
    [InlineData("Flow_OutOfSub", ValidationCodes.FlowCrossesScope)]
    [InlineData("EventSub_NoStart", ValidationCodes.EventSubProcessStart)]
    public void Validate_StructuralMistake_IsReported(string elementId, string code)
    {
        var problems = ValidationTestContext.Validate("structure.bpmn");

        Single(problems, elementId, code);
    }

    [Fact]
    public void Validate_ProcessLevelSignalStart_IsAccepted()
    {
        var problems = ValidationTestContext.Validate("structure.bpmn");

        AssertNone(problems, "Start_Signal");
    }

    [Fact]
    public void Validate_UnmappableServiceExpression_NamesTheExpression()
    {
        var problems = ValidationTestContext.Validate("structure.bpmn");

        Assert.Contains("${a + b}", Single(problems, "Task_UnmappableExpression", ValidationCodes.ServiceNoHandler).MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ConditionOnParallelGatewayFlow_IsOnlyAWarning()
    {
        var problems = ValidationTestContext.Validate("structure.bpmn");

        Assert.Equal(ValidationSeverity.Warning, Single(problems, "Flow_ParallelWithCondition", ValidationCodes.ConditionIgnored).Severity);
    }

    [Theory]
    [InlineData("structure.bpmn")]
    [InlineData("broken-collaboration.bpmn")]
    [InlineData("no-start-event.bpmn")]
    [InlineData("unreachable.bpmn")]
    [InlineData("dead-ends.bpmn")]
    [InlineData("gateway-conditions.bpmn")]
    [InlineData("expressions-and-timers.bpmn")]
    [InlineData("tasks.bpmn")]
    [InlineData("scripts-elsewhere.bpmn")]
    [InlineData("unsupported-elements.bpmn")]
    [InlineData("broken-references.bpmn")]
    [InlineData("events-without-definitions.bpmn")]
    [InlineData("multi-instance-and-subprocess.bpmn")]
    public void Validate_EveryProblem_HasAChineseAndAnEnglishMessage(string fileName)
    {
        var problems = ValidationTestContext.Validate(fileName);

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Contains(p.MessageZh, c => c >= '\u4e00' && c <= '\u9fff'));
        Assert.All(problems, p => Assert.True(p.MessageEn.Count(char.IsAsciiLetter) > p.MessageEn.Length / 3, p.MessageEn));
    }
}
