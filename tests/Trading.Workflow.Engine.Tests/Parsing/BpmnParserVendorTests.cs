using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Engine.Tests.Parsing;

public sealed class BpmnParserVendorTests
{
    [Theory]
    [InlineData("camunda-modeler-5.bpmn", "supplier-onboarding")]
    [InlineData("flowable-designer.bpmn", "deposit-refund")]
    [InlineData("activiti-designer.bpmn", "contractSigning")]
    [InlineData("signavio.bpmn", "sid-0b9c7d1e-2f3a-4b5c-8d6e-7f8091a2b3c4")]
    [InlineData("bpmn-io.bpmn", "Process_1")]
    [InlineData("tw-tender-announcement.bpmn", "tender-announcement")]
    [InlineData("default-namespace.bpmn", "simple")]
    [InlineData("gbk-encoded.bpmn", "procurement-approval")]
    [InlineData("gb18030-encoded.bpmn", "procurement-approval")]
    [InlineData("collaboration-two-pools.bpmn", "Process_Center")]
    public void Parse_FileExportedByTool_ParsesWithoutErrors(string fileName, string firstProcessId)
    {
        var definitions = TestFiles.ParseParsingFile(fileName);

        Assert.Equal(firstProcessId, definitions.Processes[0].Id);
        Assert.DoesNotContain(definitions.ParseProblems, p => p.Severity == Engine.Validation.ValidationSeverity.Error);
    }

    [Fact]
    public void Parse_FlowableFile_ReadsFlowableAttributesInDefaultNamespace()
    {
        var process = TestFiles.ParseParsingFile("flowable-designer.bpmn").Processes.Single();

        var apply = Assert.IsType<UserTask>(process.FindNode("sid-Apply"));
        Assert.Equal("${applicant}", apply.Assignee);
        Assert.Equal("depositRefundForm", apply.FormKey);
        Assert.Equal("P5D", apply.DueDate);
        Assert.Equal("${urgent ? 80 : 50}", apply.Priority);
        var finance = Assert.IsType<UserTask>(process.FindNode("sid-Finance"));
        Assert.Equal("wang.wu", finance.CandidateUsers);
        Assert.Equal("finance", finance.CandidateRoles);
        Assert.True(finance.AsyncBefore);
        Assert.Equal(new MultiInstanceLoop(false, "3", "${reviewers}", "reviewer", "${nrOfCompletedInstances/nrOfInstances >= 0.6}"), finance.MultiInstance);
    }

    [Fact]
    public void Parse_FlowableServiceTasks_MapClassAndTypeToHandlers()
    {
        var process = TestFiles.ParseParsingFile("flowable-designer.bpmn").Processes.Single();

        var refund = Assert.IsType<ServiceTask>(process.FindNode("sid-Refund"));
        var mail = Assert.IsType<ServiceTask>(process.FindNode("sid-Mail"));
        Assert.Equal(("RefundDelegate", ImplementationKind.Class), (refund.Handler, refund.ImplementationKind));
        Assert.Equal(("mail", ImplementationKind.Type), (mail.Handler, mail.ImplementationKind));
    }

    [Fact]
    public void Parse_FlowableCallActivity_ReadsInheritVariablesBusinessKeyAndMappings()
    {
        var process = TestFiles.ParseParsingFile("flowable-designer.bpmn").Processes.Single();

        var call = Assert.IsType<CallActivity>(process.FindNode("sid-Call"));
        Assert.Equal("ledger", call.CalledElement);
        Assert.Equal("${projectCode}", call.BusinessKeyExpression);
        Assert.Equal(
            [new VariableMapping(null, null, null, AllVariables: true), new VariableMapping("refundAmount", "amount", null)],
            call.In);
        Assert.Equal([new VariableMapping("ledgerNo", "ledgerNo", null)], call.Out);
    }

    [Fact]
    public void Parse_FlowableConditionInCData_IsRead()
    {
        var process = TestFiles.ParseParsingFile("flowable-designer.bpmn").Processes.Single();

        Assert.Equal("${approved && amount > 0}", process.FindFlow("sid-F5")!.Condition);
        Assert.True(process.FindFlow("sid-F4")!.IsDefault);
    }

    [Fact]
    public void Parse_FlowableMessageCatch_ResolvesMessageByRef()
    {
        var process = TestFiles.ParseParsingFile("flowable-designer.bpmn").Processes.Single();

        var wait = Assert.IsType<IntermediateCatchEvent>(process.FindNode("sid-Wait"));
        var definition = Assert.IsType<MessageEventDefinition>(wait.Definition);
        Assert.Equal(new MessageDefinition("paymentReceived", "保证金到账"), definition.Message);
    }

    [Fact]
    public void Parse_ActivitiFile_ReadsActivitiAttributes()
    {
        var process = TestFiles.ParseParsingFile("activiti-designer.bpmn").Processes.Single();

        var draft = Assert.IsType<UserTask>(process.FindNode("usertask1"));
        var number = Assert.IsType<ServiceTask>(process.FindNode("servicetask1"));
        Assert.Equal("${starter}", draft.Assignee);
        Assert.Equal("contract/draft", draft.FormKey);
        Assert.Equal(("contractService.nextNumber", ImplementationKind.Expression), (number.Handler, number.ImplementationKind));
        Assert.Equal("contractNo", number.ResultVariable);
        Assert.True(number.AsyncBefore);
    }

    [Fact]
    public void Parse_ActivitiResourceAssignments_BecomeAssigneeAndCandidates()
    {
        var process = TestFiles.ParseParsingFile("activiti-designer.bpmn").Processes.Single();

        var legal = Assert.IsType<UserTask>(process.FindNode("usertask2"));
        var director = Assert.IsType<UserTask>(process.FindNode("usertask3"));
        Assert.Equal("kermit", legal.CandidateUsers);
        Assert.Equal("legal,management", legal.CandidateRoles);
        Assert.Equal("director", director.Assignee);
    }

    [Fact]
    public void Parse_ActivitiSignalAndTerminateEvents_AreRead()
    {
        var process = TestFiles.ParseParsingFile("activiti-designer.bpmn").Processes.Single();

        var signal = Assert.IsType<SignalEventDefinition>(((EventNode)process.FindNode("signalintermediatecatchevent1")!).Definition);
        Assert.Equal(new SignalDefinition("tenderCancelled", "招标终止"), signal.Signal);
        Assert.IsType<TerminateEventDefinition>(((EventNode)process.FindNode("terminateendevent1")!).Definition);
    }

    [Fact]
    public void Parse_ActivitiTaskListener_IsReportedAsIgnored()
    {
        var definitions = TestFiles.ParseParsingFile("activiti-designer.bpmn");

        var problem = Assert.Single(definitions.ParseProblems);
        Assert.Equal(("usertask2", Engine.Validation.ValidationCodes.ListenerIgnored), (problem.ElementId, problem.Code));
    }

    [Fact]
    public void Parse_SignavioFile_IgnoresMetadataAndAnnotations()
    {
        var process = TestFiles.ParseParsingFile("signavio.bpmn").Processes.Single();

        Assert.False(process.IsExecutable);
        Assert.Equal("评标专家抽取", process.Name);
        Assert.Equal(6, process.Nodes.Count);
        Assert.Equal("count >= required", process.FindFlow("sid-FLOW-0003")!.Condition);
        Assert.IsType<PlainTask>(process.FindNode("sid-A1B2C3D4-0002"));
        Assert.Null(process.FindNode("sid-NOTE-0001"));
    }

    [Fact]
    public void Parse_BpmnIoFile_ReadsParallelForkAndJoin()
    {
        var process = TestFiles.ParseParsingFile("bpmn-io.bpmn").Processes.Single();

        var join = Assert.IsType<ParallelGateway>(process.FindNode("Gateway_1b4c5d6"));
        Assert.Equal(2, join.Incoming.Count);
        Assert.Equal(2, process.FindNode("Gateway_0p1q2r3")!.Outgoing.Count);
    }

    [Fact]
    public void Parse_DefaultNamespaceWithoutPrefix_ReadsProcess()
    {
        var process = TestFiles.ParseParsingFile("default-namespace.bpmn").Processes.Single();

        Assert.IsType<ManualTask>(process.FindNode("work"));
        Assert.Equal(["start", "work", "end"], process.Nodes.Select(n => n.Id));
    }

    [Fact]
    public void Parse_GbkEncodedFile_DecodesChineseText()
    {
        var definitions = TestFiles.ParseParsingFile("gbk-encoded.bpmn");

        var process = definitions.Processes.Single();
        Assert.Equal("定义_政府采购", definitions.Id);
        Assert.Equal("政府采购审批", process.Name);
        Assert.Equal("采购人提交采购需求，财政部门审批后进入公开招标。", process.Documentation);
        Assert.Equal("财政局审批科", Assert.IsType<UserTask>(process.FindNode("approve")).CandidateRoles);
    }

    [Fact]
    public void Parse_Gb18030EncodedFile_DecodesCharactersOutsideGbk()
    {
        var process = TestFiles.ParseParsingFile("gb18030-encoded.bpmn").Processes.Single();

        Assert.Equal("刘䶮", Assert.IsType<UserTask>(process.FindNode("approve")).Assignee);
    }

    [Fact]
    public void Parse_Collaboration_ReadsPoolsAndMessageFlows()
    {
        var definitions = TestFiles.ParseParsingFile("collaboration-two-pools.bpmn");

        var collaboration = definitions.Collaboration!;
        Assert.Equal("Collaboration_Bid", collaboration.Id);
        Assert.Equal(
            [new Participant("Participant_Center", "交易中心", "Process_Center"), new Participant("Participant_Bidder", "投标人", "Process_Bidder")],
            collaboration.Participants);
        Assert.Equal(
            [
                new MessageFlow("MessageFlow_Invite", "投标邀请", "Task_Invite", "Start_Bidder", "Message_Invite"),
                new MessageFlow("MessageFlow_Bid", "投标文件", "Task_SubmitBid", "Task_ReceiveBid", null),
            ],
            collaboration.MessageFlows);
    }

    [Fact]
    public void Parse_Collaboration_ReadsBothProcessesAndLanes()
    {
        var definitions = TestFiles.ParseParsingFile("collaboration-two-pools.bpmn");

        var center = definitions.FindProcess("Process_Center")!;
        var bidder = definitions.FindProcess("Process_Bidder")!;
        Assert.Equal(
            [
                new Lane("Lane_Agency", "招标代理", ["Start_Center", "Task_Invite", "Task_ReceiveBid"]),
                new Lane("Lane_Experts", "评标专家", ["Task_Evaluate", "End_Center"]),
            ],
            center.Lanes,
            LaneComparer.Instance);
        Assert.False(bidder.IsExecutable);
        Assert.Equal("Start_Bidder", Assert.Single(bidder.EventStartEvents).Id);
        Assert.Empty(bidder.StartEvents);
        Assert.Equal("bidSubmitted", Assert.IsType<ReceiveTask>(center.FindNode("Task_ReceiveBid")).Message!.Name);
    }

    [Fact]
    public void Parse_StringOverload_ReadsTheSameModelAsTheFile()
    {
        var text = File.ReadAllText(TestFiles.Parsing("bpmn-io.bpmn"));

        var definitions = BpmnParser.Parse(text);

        Assert.Equal(14, definitions.Processes.Single().Elements.Count);
    }

    [Fact]
    public void Parse_StringDeclaringGbk_IsReadAsTheAlreadyDecodedText()
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var text = File.ReadAllText(TestFiles.Parsing("gbk-encoded.bpmn"), System.Text.Encoding.GetEncoding("GBK"));

        var definitions = BpmnParser.Parse(text);

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"GBK\"?>", text, StringComparison.Ordinal);
        Assert.Equal("政府采购审批", definitions.Processes.Single().Name);
    }

    private sealed class LaneComparer : IEqualityComparer<Lane>
    {
        public static readonly LaneComparer Instance = new();

        public bool Equals(Lane? x, Lane? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Name == y.Name && x.FlowNodeRefs.SequenceEqual(y.FlowNodeRefs);

        public int GetHashCode(Lane obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
