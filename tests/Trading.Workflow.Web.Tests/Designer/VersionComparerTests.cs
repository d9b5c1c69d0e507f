using Trading.Workflow.Web.Designer;

namespace Trading.Workflow.Web.Tests.Designer;

public sealed class VersionComparerTests
{
    [Fact]
    public void Compare_IdenticalProcesses_FindsNoChange()
    {
        var xml = Bpmn.Process(Bpmn.ReviewBody);

        var changes = VersionComparer.Compare(xml, xml, "p");

        Assert.Empty(changes);
    }

    [Fact]
    public void Compare_NewTaskAndFlow_AreAdded()
    {
        var older = Bpmn.Process(Bpmn.ReviewBody);
        var newer = Bpmn.Process(Bpmn.ReviewBody + """
            <bpmn:userTask id="check" name="Check" tw:candidateRoles="Supervisor" />
            <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="check" />
            """);

        var changes = VersionComparer.Compare(older, newer, "p");

        Assert.Equal(
            [("check", "userTask", ElementChangeKind.Added), ("f3", "sequenceFlow", ElementChangeKind.Added)],
            changes.Select(c => (c.ElementId, c.ElementType, c.Kind)));
    }

    [Fact]
    public void Compare_MissingElement_IsRemoved()
    {
        var older = Bpmn.Process(Bpmn.ReviewBody + """<bpmn:manualTask id="extra" />""");
        var newer = Bpmn.Process(Bpmn.ReviewBody);

        var change = Assert.Single(VersionComparer.Compare(older, newer, "p"));

        Assert.Equal(("extra", ElementChangeKind.Removed), (change.ElementId, change.Kind));
    }

    [Fact]
    public void Compare_ChangedAttribute_IsChanged()
    {
        var older = Bpmn.Process(Bpmn.ReviewBody);
        var newer = Bpmn.Process(Bpmn.ReviewBody.Replace("tw:candidateRoles=\"Staff\"", "tw:candidateRoles=\"Staff,Supervisor\"", StringComparison.Ordinal));

        var change = Assert.Single(VersionComparer.Compare(older, newer, "p"));

        Assert.Equal(("review", "Review", ElementChangeKind.Changed), (change.ElementId, change.Name, change.Kind));
    }

    [Fact]
    public void Compare_ChangedCondition_IsChangedOnTheFlow()
    {
        const string Template = """
            <bpmn:startEvent id="start" />
            <bpmn:exclusiveGateway id="g" default="f2" />
            <bpmn:endEvent id="a" /><bpmn:endEvent id="b" />
            <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="g" />
            <bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="a"><bpmn:conditionExpression>${amount > LIMIT}</bpmn:conditionExpression></bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="b" />
            """;
        var older = Bpmn.Process(Template.Replace("LIMIT", "100", StringComparison.Ordinal));
        var newer = Bpmn.Process(Template.Replace("LIMIT", "200", StringComparison.Ordinal));

        var change = Assert.Single(VersionComparer.Compare(older, newer, "p"));

        Assert.Equal(("f1", ElementChangeKind.Changed), (change.ElementId, change.Kind));
    }

    [Fact]
    public void Compare_LayoutAndWhitespaceOnly_IsNoChange()
    {
        var older = Bpmn.Process(Bpmn.ReviewBody);
        var newer = Bpmn.Process(Bpmn.ReviewBody.Replace("\n", "\n\n    ", StringComparison.Ordinal))
            .Replace("</bpmn:definitions>", """<bpmndi:BPMNDiagram id="di"><bpmndi:BPMNPlane id="pl" bpmnElement="p"><bpmndi:BPMNShape id="s" bpmnElement="review"><dc:Bounds x="1" y="2" width="100" height="80" /></bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>""", StringComparison.Ordinal);

        var changes = VersionComparer.Compare(older, newer, "p");

        Assert.Empty(changes);
    }

    [Fact]
    public void Compare_TaskInsideSubProcess_IsReportedAloneNotItsSubProcess()
    {
        const string Template = """
            <bpmn:startEvent id="start" />
            <bpmn:subProcess id="sub"><bpmn:startEvent id="s2" /><bpmn:userTask id="inner" tw:assignee="WHO" /><bpmn:sequenceFlow id="i1" sourceRef="s2" targetRef="inner" /></bpmn:subProcess>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
            """;
        var older = Bpmn.Process(Template.Replace("WHO", "zhang", StringComparison.Ordinal));
        var newer = Bpmn.Process(Template.Replace("WHO", "li", StringComparison.Ordinal));

        var change = Assert.Single(VersionComparer.Compare(older, newer, "p"));

        Assert.Equal("inner", change.ElementId);
    }
}
