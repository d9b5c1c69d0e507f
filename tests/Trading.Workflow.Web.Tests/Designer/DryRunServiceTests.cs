using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Web.Designer;

namespace Trading.Workflow.Web.Tests.Designer;

public sealed class DryRunServiceTests
{
    private const string OpenTender = "engineering-construction.open-tender";

    /// <summary>2026-12-02 09:00 in Beijing: the shipped procedure's time limits run into 2027.</summary>
    private static readonly DateTimeOffset December2026 = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);

    private readonly DryRunService _dryRun = Service(TimeProvider.System, new ReloadableBusinessCalendar(new InMemoryHolidayCalendarSource(), TimeProvider.System));

    /// <summary>The variables the shipped procedure reads, with values that take it to its end.</summary>
    private static readonly Dictionary<string, object?> OpenTenderVariables = new(StringComparer.Ordinal)
    {
        ["projectCode"] = "DRY-001",
        ["projectName"] = "试运行项目",
        ["reviewDecision"] = "approve",
        ["bidderCount"] = 5m,
        ["objectionUpheld"] = "false",
    };

    [Fact]
    public async Task Run_CompletesUserTasks_AndReportsThePathTaken()
    {
        var result = await _dryRun.RunAsync(new DryRunRequest(Bpmn.Process(Bpmn.ReviewBody), "p", null, null));

        Assert.Equal((true, true), (result.Ended, new[] { "start", "f1", "review", "f2", "end" }.All(result.TakenElementIds.Contains)));
    }

    [Fact]
    public async Task Run_GatewayCondition_TakesOnlyTheChosenBranch()
    {
        var xml = Bpmn.Process("""
            <bpmn:startEvent id="start" />
            <bpmn:exclusiveGateway id="g" default="small" />
            <bpmn:endEvent id="bigEnd" /><bpmn:endEvent id="smallEnd" />
            <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="g" />
            <bpmn:sequenceFlow id="big" sourceRef="g" targetRef="bigEnd"><bpmn:conditionExpression>${amount > 1000000}</bpmn:conditionExpression></bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="small" sourceRef="g" targetRef="smallEnd" />
            """);

        var result = await _dryRun.RunAsync(new DryRunRequest(xml, "p", """{"amount": 5000000}""", null));

        Assert.Equal((true, false), (result.TakenElementIds.Contains("bigEnd"), result.TakenElementIds.Contains("smallEnd")));
    }

    [Fact]
    public async Task Run_TimerInWorkingDays_FiresOnTheSimulatedClock()
    {
        var xml = Bpmn.Process("""
            <bpmn:startEvent id="start" />
            <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>P5WD</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" /><bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
            """);

        var result = await _dryRun.RunAsync(new DryRunRequest(xml, "p", null, null));

        Assert.Equal((true, true), (result.Ended, result.Steps.Any(s => s.Action == DryRunService.ActionTimersFired && s.ElementId == "wait")));
    }

    [Theory]
    [InlineData("en", "Review the notice: DRY-7", "Wait one working day")]
    [InlineData("zh-CN", "审核公告：DRY-7", "等待一个工作日")]
    public async Task Run_NamesItsStepsInTheReadersLanguage(string culture, string task, string timer)
    {
        var xml = Bpmn.Process("""
            <bpmn:startEvent id="start" />
            <bpmn:userTask id="review" name="审核公告：${projectCode}" tw:nameEn="Review the notice: ${projectCode}" tw:candidateRoles="Staff" />
            <bpmn:intermediateCatchEvent id="wait" name="等待一个工作日" tw:nameEn="Wait one working day"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" /><bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="wait" />
            <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="end" />
            """);
        var (previous, previousUi) = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo(culture);
        try
        {
            var result = await _dryRun.RunAsync(new DryRunRequest(xml, "p", """{"projectCode": "DRY-7"}""", null));

            Assert.True(result.Ended, result.ErrorEn);
            Assert.Equal(task, result.Steps.Single(s => s.Action == DryRunService.ActionTaskCompleted).ElementName);
            Assert.Equal(timer, result.Steps.Single(s => s.Action == DryRunService.ActionTimersFired).ElementName);
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = (previous, previousUi);
        }
    }

    [Fact]
    public async Task Run_UnknownVariableInCondition_StopsWithTheEngineError()
    {
        var xml = Bpmn.Process("""
            <bpmn:startEvent id="start" />
            <bpmn:exclusiveGateway id="g" default="b" />
            <bpmn:endEvent id="e1" /><bpmn:endEvent id="e2" />
            <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="g" />
            <bpmn:sequenceFlow id="a" sourceRef="g" targetRef="e1"><bpmn:conditionExpression>${missing > 1}</bpmn:conditionExpression></bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="b" sourceRef="g" targetRef="e2" />
            """);

        var result = await _dryRun.RunAsync(new DryRunRequest(xml, "p", null, null));

        Assert.Equal((false, true, true), (result.Ended, result.ErrorZh is not null, result.ErrorEn is not null));
    }

    [Fact]
    public async Task Run_InvalidVariablesJson_ReportsItInBothLanguages()
    {
        var result = await _dryRun.RunAsync(new DryRunRequest(Bpmn.Process(Bpmn.ReviewBody), "p", "{not json", null));

        Assert.Equal((true, true, 0), (result.ErrorZh is not null, result.ErrorEn is not null, result.TakenElementIds.Count));
    }

    [Fact]
    public async Task Run_ShippedProcedureWithoutVariables_NamesTheMissingVariable()
    {
        var result = await _dryRun.RunAsync(new DryRunRequest(ShippedXml(), OpenTender, null, null));

        // A task name that reads a missing variable keeps its raw text (Camunda's rule), so the first variable the run
        // cannot do without is the review gateway's.
        Assert.Equal(("reviewDecision", true), (result.MissingVariable, result.ErrorZh!.Contains("缺少变量 reviewDecision", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_ShippedProcedureInto2027WithoutItsHolidays_ReportsTheMissingYearInsteadOfThrowing()
    {
        var official = new ReloadableBusinessCalendar(new InMemoryHolidayCalendarSource(), TimeProvider.System);

        var result = await Service(new FixedClock(December2026), official)
            .RunAsync(new DryRunRequest(ShippedXml(), OpenTender, null, null, OpenTenderVariables));

        Assert.Equal((false, true, true), (result.Ended, result.ErrorZh!.Contains("2027", StringComparison.Ordinal), result.ErrorEn!.Contains("2027", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_ShippedProcedureInto2027_UsesTheYearTheAdministratorSaved()
    {
        var calendar = new ReloadableBusinessCalendar(new InMemoryHolidayCalendarSource(), TimeProvider.System);
        await calendar.SaveYearAsync(new HolidayYearData(2027, [new DateOnly(2027, 1, 1)], []), "admin");

        var result = await Service(new FixedClock(December2026), calendar)
            .RunAsync(new DryRunRequest(ShippedXml(), OpenTender, null, null, OpenTenderVariables));

        Assert.Equal((true, null), (result.Ended, result.ErrorEn));
    }

    [Fact]
    public void Variables_OfTheShippedProcedure_AreTypedFromTheFormsAndTheConditions()
    {
        var variables = DryRunVariables.Find(ShippedXml(), OpenTender).ToDictionary(v => v.Name);

        Assert.Equal(
            (DryRunVariableType.Text, DryRunVariableType.Number, true, "项目名称"),
            (variables["projectName"].Type, variables["bidderCount"].Type, variables["reviewDecision"].Choices.Contains("approve"), variables["projectName"].LabelZh));
    }

    [Fact]
    public void Variables_ElementVariableOfAMultiInstance_IsNotAsked()
    {
        var xml = Bpmn.Process("""
            <bpmn:startEvent id="start" />
            <bpmn:userTask id="review" name="Review ${item}" tw:assignee="${item}">
              <bpmn:multiInstanceLoopCharacteristics tw:collection="${reviewers}" tw:elementVariable="item" />
            </bpmn:userTask>
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
            <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
            """);

        var names = DryRunVariables.Find(xml, "p").Select(v => v.Name);

        Assert.Equal(["reviewers"], names);
    }

    private static DryRunService Service(TimeProvider clock, IBusinessCalendar calendar) => new(clock, calendar, NullLogger<DryRunService>.Instance);

    private static string ShippedXml()
    {
        var root = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(root, "workflows")))
        {
            root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("workflows");
        }

        var folder = Path.Combine(root, "workflows", "engineering-construction");
        var forms = Directory.GetFiles(Path.Combine(folder, "open-tender.forms"), "*.json")
            .Select(f => (Path.GetFileNameWithoutExtension(f), Path.GetFileNameWithoutExtension(f), File.ReadAllText(f)));
        return Trading.Workflow.Web.Forms.BpmnForms.Write(File.ReadAllText(Path.Combine(folder, "open-tender.bpmn")), OpenTender, forms);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
