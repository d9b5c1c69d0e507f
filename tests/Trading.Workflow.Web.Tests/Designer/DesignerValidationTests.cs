using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Validation;
using Trading.Workflow.Web.Designer;

namespace Trading.Workflow.Web.Tests.Designer;

public sealed class DesignerValidationTests
{
    [Fact]
    public void Check_MalformedXml_IsUnreadableWithOneParseProblem()
    {
        var check = new DesignerValidation().Check("<definitions><process>");

        var problem = Assert.Single(check.Problems);
        Assert.Equal((false, "XML_MALFORMED", true), (check.Readable, problem.Code, check.HasErrors));
    }

    [Fact]
    public void Check_ValidProcess_HasNoErrorsAndNamesItsProcess()
    {
        var check = new DesignerValidation().Check(Bpmn.Process(Bpmn.ReviewBody, processId: "tender"));

        Assert.Equal((false, "tender"), (check.HasErrors, Assert.Single(check.ProcessIds)));
    }

    [Fact]
    public void Check_UserTaskWithoutReceiver_IsAWarningOnTheTask()
    {
        // Camunda runs such a task (anyone may claim it); here it goes to staff, so the designer warns but publishes.
        var check = new DesignerValidation().Check(Bpmn.Process(Bpmn.ReviewBody.Replace(" tw:candidateRoles=\"Staff\"", string.Empty, StringComparison.Ordinal)));

        var problem = Assert.Single(check.Problems, p => p.Code == "USER_TASK_NO_RECEIVER");
        Assert.Equal((ValidationSeverity.Warning, "review"), (problem.Severity, problem.ElementId));
        Assert.DoesNotContain(check.Problems, p => p.Severity == ValidationSeverity.Error);
    }

    [Fact]
    public void Check_UnknownHandler_IsAnErrorWhenHandlersAreRegistered()
    {
        var xml = Bpmn.Process("""
            <bpmn:startEvent id="start" /><bpmn:serviceTask id="s" tw:handler="sendSms" /><bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="s" /><bpmn:sequenceFlow id="f2" sourceRef="s" targetRef="end" />
            """);

        var check = new DesignerValidation(new HandlerList("publishNotice")).Check(xml);

        var problem = Assert.Single(check.Problems, p => p.Severity == ValidationSeverity.Error);
        Assert.Equal(("HANDLER_UNKNOWN", "s"), (problem.Code, problem.ElementId));
    }

    [Theory]
    [InlineData("P5WD")]
    [InlineData("P10CD")]
    [InlineData("PT4H")]
    public void Check_DueDateInWorkingOrCalendarDays_IsAccepted(string dueDate)
    {
        var xml = Bpmn.Process(Bpmn.ReviewBody.Replace("tw:candidateRoles", $"tw:dueDate=\"{dueDate}\" tw:candidateRoles", StringComparison.Ordinal));

        var check = new DesignerValidation().Check(xml);

        Assert.False(check.HasErrors);
    }

    [Fact]
    public void Check_MalformedDueDate_IsTimerInvalid()
    {
        var xml = Bpmn.Process(Bpmn.ReviewBody.Replace("tw:candidateRoles", "tw:dueDate=\"P5XD\" tw:candidateRoles", StringComparison.Ordinal));

        var check = new DesignerValidation().Check(xml);

        Assert.Contains(check.Problems, p => p.Code == "TIMER_INVALID" && p.ElementId == "review");
    }

    [Fact]
    public void Check_ProblemMessages_ExistInChineseAndEnglish()
    {
        var check = new DesignerValidation().Check(Bpmn.Process("""<bpmn:scriptTask id="x" />"""));

        Assert.All(check.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message(true)) || string.IsNullOrWhiteSpace(p.Message(false))));
    }

    private sealed class HandlerList(params string[] names) : IServiceTaskHandlerCatalog
    {
        public IReadOnlyDictionary<string, string> Handlers { get; } = names.ToDictionary(n => n, n => $"{n} handler");

        public bool Contains(string name) => Handlers.ContainsKey(name);
    }
}
