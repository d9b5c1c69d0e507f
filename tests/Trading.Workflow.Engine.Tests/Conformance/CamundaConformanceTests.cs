using Trading.Workflow.Engine.Export;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Scenarios.Support;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Engine.Tests.Conformance;

/// <summary>
/// Models accepted and run as Camunda 7 accepts and runs them (issue 15, point 1), on small files written for
/// these tests from the BPMN 2.0 specification and Camunda's documentation.
/// </summary>
public sealed class CamundaConformanceTests
{
    public static string FilePath(string file) => Path.Combine(AppContext.BaseDirectory, "Conformance", "Files", file);

    private static BpmnDefinitions Parse(string file) => BpmnParser.ParseFile(FilePath(file));

    private static IReadOnlyList<ValidationProblem> Validate(string file) =>
        BpmnValidator.Validate(Parse(file), EngineValidation.CreateContext(knownHandlers: null, knownProcessIds: new HashSet<string>()));

    // ------------------------------------------------------------ ids

    [Fact]
    public void Parse_SequenceFlowsWithoutId_GetGeneratedIdsAndNoProblem()
    {
        var definitions = Parse("flows-without-ids.bpmn");

        var flows = definitions.Processes.Single().Flows;
        Assert.Equal(7, flows.Count);
        Assert.All(flows, f => Assert.False(string.IsNullOrEmpty(f.Id)));
        Assert.Equal(7, flows.Select(f => f.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(BpmnValidator.Validate(definitions, EngineValidation.CreateContext()), p => p.Severity == ValidationSeverity.Error);
    }

    [Fact]
    public void Parse_GeneratedIds_AreTheSameEachTimeTheFileIsRead()
    {
        var first = Parse("flows-without-ids.bpmn").Processes.Single().Flows.Select(f => f.Id);
        var second = Parse("flows-without-ids.bpmn").Processes.Single().Flows.Select(f => f.Id);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Export_GeneratedIds_AreWrittenBackAndReadAgainUnchanged()
    {
        var definitions = Parse("flows-without-ids.bpmn");
        var ids = definitions.Processes.Single().Flows.Select(f => (f.Id, f.SourceRef, f.TargetRef)).ToList();

        var exported = BpmnExporter.Export(definitions);
        var again = BpmnParser.Parse(exported);

        Assert.All(ids, id => Assert.Contains($"id=\"{id.Id}\"", exported, StringComparison.Ordinal));
        Assert.Equal(ids, again.Processes.Single().Flows.Select(f => (f.Id, f.SourceRef, f.TargetRef)));
    }

    [Fact]
    public async Task Run_ModelWithFlowsWithoutIds_RunsToTheEnd()
    {
        await using var h = await EngineTestHost.ScenarioAsync([FilePath("flows-without-ids.bpmn")], configure: o => o.DefaultCandidateRoles = ["clerk"]);
        var instance = await h.StartProcessAsync("noIds");

        await h.CompleteAsync(instance.Id, "work");

        Assert.Equal(InstanceState.Completed, await h.StateAsync(instance.Id));
    }

    // ------------------------------------------------------------ errorRef

    [Fact]
    public void Validate_ErrorRefNamingNoErrorElement_IsNotAnError()
    {
        var problems = Validate("error-ref-as-code.bpmn");

        Assert.DoesNotContain(problems, p => p.Severity == ValidationSeverity.Error);
    }

    [Fact]
    public async Task Run_ErrorRefNamingNoErrorElement_IsCaughtByTheBoundaryWithTheSameRef()
    {
        await using var h = await EngineTestHost.ScenarioAsync([FilePath("error-ref-as-code.bpmn")]);

        var instance = await h.StartProcessAsync("errorRefAsCode", new { outcome = "bad" });

        Assert.Equal(["handleBadBid"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Run_ErrorRefNamingNoErrorElement_IsThrownWithTheRefAsItsCode()
    {
        await using var h = await EngineTestHost.ScenarioAsync([FilePath("error-ref-as-code.bpmn")]);

        var error = await Assert.ThrowsAsync<BpmnErrorException>(async () => await h.StartProcessAsync("errorRefAsCode", new { outcome = "other" }));

        Assert.Equal("OTHER_FAILURE", error.ErrorCode);
    }

    // ------------------------------------------------------------ inclusive gateway

    [Fact]
    public void Validate_InclusiveFlowWithoutCondition_IsOnlyAWarning()
    {
        var problems = Validate("inclusive-unconditioned.bpmn");

        var problem = Assert.Single(problems, p => p.ElementId == "always");
        Assert.Equal(ValidationCodes.ConditionMissing, problem.Code);
        Assert.Equal(ValidationSeverity.Warning, problem.Severity);
        Assert.DoesNotContain(problems, p => p.Severity == ValidationSeverity.Error);
    }

    [Theory]
    [InlineData(10, new[] { "notify" })]
    [InlineData(5000, new[] { "audit", "notify" })]
    public async Task Run_InclusiveFlowWithoutCondition_IsAlwaysTaken(int amount, string[] expected)
    {
        await using var h = await EngineTestHost.ScenarioAsync([FilePath("inclusive-unconditioned.bpmn")]);

        var instance = await h.StartProcessAsync("inclusiveUnconditioned", new { amount });

        Assert.Equal(expected, await h.OpenTaskIdsAsync(instance.Id));
    }

    // ------------------------------------------------------------ user task without receiver

    [Fact]
    public void Validate_UserTaskWithoutAssigneeOrCandidates_IsOnlyAWarning()
    {
        var problems = Validate("unassigned-task.bpmn");

        var problem = Assert.Single(problems);
        Assert.Equal(ValidationCodes.UserTaskNoReceiver, problem.Code);
        Assert.Equal(ValidationSeverity.Warning, problem.Severity);
    }

    [Fact]
    public async Task Run_UserTaskWithoutCandidates_IsOfferedToTheHostsDefaultRolesAndCanBeClaimed()
    {
        await using var h = await EngineTestHost.ScenarioAsync([FilePath("unassigned-task.bpmn")], configure: o => o.DefaultCandidateRoles = ["centreStaff"]);
        var instance = await h.StartProcessAsync("unassignedTask");

        var inbox = await h.Engine.GetOpenTasksForUserAsync("wang", ["centreStaff"]);
        var task = Assert.Single(inbox);
        Assert.Equal(["centreStaff"], task.CandidateRoles);
        Assert.Null(task.Assignee);
        Assert.Empty(await h.Engine.GetOpenTasksForUserAsync("bidder1", ["bidder"]));

        await h.Engine.ClaimTaskAsync(task.Id, "wang");
        await h.Engine.CompleteTaskAsync(task.Id, userId: "wang");
        Assert.Equal(InstanceState.Completed, await h.StateAsync(instance.Id));
    }

    [Fact]
    public async Task Run_UserTaskWithoutCandidatesAndNoDefaultRoles_IsCreatedUnassignedWithoutCandidates()
    {
        await using var h = await EngineTestHost.ScenarioAsync([FilePath("unassigned-task.bpmn")]);
        var instance = await h.StartProcessAsync("unassignedTask");

        var task = await h.SingleTaskAsync(instance.Id, "check");

        Assert.Null(task.Assignee);
        Assert.Empty(task.CandidateUsers);
        Assert.Empty(task.CandidateRoles);
    }

    [Fact]
    public async Task Run_DefaultRoles_DoNotChangeATaskThatNamesItsCandidates()
    {
        await using var h = await EngineTestHost.ScenarioAsync([FilePath("inclusive-unconditioned.bpmn")], configure: o => o.DefaultCandidateRoles = ["centreStaff"]);
        var instance = await h.StartProcessAsync("inclusiveUnconditioned", new { amount = 1 });

        Assert.Equal(["clerk"], (await h.SingleTaskAsync(instance.Id, "notify")).CandidateRoles);
    }

    // ------------------------------------------------------------ files as one set

    [Fact]
    public void Validate_CallActivityToAnotherFileOfTheSet_IsValidInEitherOrder()
    {
        var parent = Parse("set/a-parent.bpmn");
        var child = Parse("set/b-child.bpmn");
        var context = EngineValidation.CreateContext(knownHandlers: null, knownProcessIds: new HashSet<string>());

        var forward = BpmnValidator.ValidateSet([parent, child], context);
        var backward = BpmnValidator.ValidateSet([child, parent], context);

        Assert.All(forward.Concat(backward), problems => Assert.False(problems.HasErrors()));
    }

    [Fact]
    public void Validate_CallActivityAlone_ReportsTheUnknownProcess()
    {
        var problems = BpmnValidator.ValidateSet([Parse("set/a-parent.bpmn")], EngineValidation.CreateContext(knownHandlers: null, knownProcessIds: new HashSet<string>()));

        Assert.Contains(Assert.Single(problems), p => p.Code == ValidationCodes.CallUnknownProcess && p.ElementId == "callChild");
    }

    [Fact]
    public void Validate_SameProcessIdInTwoFilesOfTheSet_IsAnError()
    {
        var problems = BpmnValidator.ValidateSet([Parse("set/b-child.bpmn"), Parse("set/b-child.bpmn")], EngineValidation.CreateContext());

        Assert.Contains(problems[1], p => p.Code == ValidationCodes.DuplicateProcessInSet && p.ElementId == "setChild");
    }

    [Fact]
    public async Task DeploySet_ParentBeforeItsChild_DeploysBothAndRuns()
    {
        await using var h = await EngineTestHost.ScenarioAsync([]);

        var deployed = await h.Engine.DeploySetAsync([Parse("set/a-parent.bpmn"), Parse("set/b-child.bpmn")]);
        var parent = await h.StartProcessAsync("setParent");

        Assert.Equal(["setParent", "setChild"], deployed.Select(d => d.ProcessId));
        var child = Assert.Single(await h.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = parent.Id }));
        Assert.Equal(["childTask"], await h.OpenTaskIdsAsync(child.Id));
    }

    [Fact]
    public async Task DeploySet_WithAnInvalidFile_DeploysNothing()
    {
        await using var h = await EngineTestHost.ScenarioAsync([]);

        await Assert.ThrowsAsync<WorkflowValidationException>(async () => await h.Engine.DeploySetAsync([Parse("set/b-child.bpmn"), Parse("set/a-parent.bpmn"), Parse("set/b-child.bpmn")]));

        Assert.Empty(await h.Service<IDefinitionRepository>().GetAllLatestAsync());
    }

    [Fact]
    public async Task ValidateSet_OnTheEngine_KnowsTheOtherFilesOfTheSet()
    {
        await using var h = await EngineTestHost.ScenarioAsync([]);

        var alone = await h.Engine.ValidateSetAsync([Parse("set/a-parent.bpmn")]);
        var together = await h.Engine.ValidateSetAsync([Parse("set/a-parent.bpmn"), Parse("set/b-child.bpmn")]);

        Assert.True(alone[0].HasErrors());
        Assert.All(together, problems => Assert.False(problems.HasErrors()));
    }
}
