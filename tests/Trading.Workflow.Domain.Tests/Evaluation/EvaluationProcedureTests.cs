using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.Evaluation;

/// <summary>
/// The BPMN fragment of docs/evaluation.md (<c>Files/evaluation-fragment.bpmn</c>) run by the real engine on a SQLite
/// file: one workbench task per member (multi-instance over <c>evaluators</c>), an extension, a replacement whose task
/// is reassigned, the chair's report, every member's confirmation, and the confirmed report with its candidates.
/// </summary>
public sealed class EvaluationProcedureTests
{
    [Fact]
    public async Task Fragment_FiveExperts_ExtensionReplacementReportConfirmations_EndWithThreeCandidates()
    {
        await using var world = await EvaluationWorld.StartAsync(DatabaseProvider.Sqlite, [1_000_000m, 1_020_000m, 1_040_000m, 1_060_000m]);
        await world.SetMethodAsync(EvaluationRulesTests.Scoring());
        await world.Engine.DeployAsync(BpmnParser.ParseFile(Fragment()));
        var instance = await world.Engine.StartAsync("evaluation-fragment", world.Project.Code,
            new Dictionary<string, object?> { ["projectCode"] = world.Project.Code }, "system");

        var tasks = await world.Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id });
        Assert.Equal(["expert1", "expert2", "expert3", "expert4", "expert5"], tasks.Select(t => t.Assignee).Order());
        Assert.All(tasks, t => Assert.Equal("component:evaluation-workbench", t.FormKey));
        var variables = await world.Engine.GetVariablesAsync(instance.Id);
        var evaluationId = Guid.Parse((string)variables[EvaluationVariables.EvaluationId]!);
        var due = (string)variables[EvaluationVariables.EvaluationDue]!;
        Assert.Equal(EvaluationService.Iso(EvaluationWorld.Start.AddDays(1)), due);

        // A member of the committee reads the decrypted bids; the tenderee does not.
        var openings = world.Services.GetRequiredService<OpeningService>();
        Assert.Equal(2, (await openings.OpenedItemsAsync(new ProjectPrincipal("expert1", [Domain.Accounts.PlatformRoles.Expert], null, []), world.BidIds[0])).Count);
        Assert.Equal(OpeningRules.NotAllowed, (await Assert.ThrowsAsync<DomainRuleException>(() =>
            openings.OpenedItemsAsync(new ProjectPrincipal("tenderee", [Domain.Accounts.PlatformRoles.Tenderee], null, []), world.BidIds[0]))).RuleCode);

        // Two of five (more than a third) ask for more time: the due time moves by a day.
        Assert.All(tasks, t => Assert.Equal(EvaluationWorld.Start.AddDays(1), t.Due));
        Assert.False(await world.Evaluations.AskForMoreTimeAsync("expert2", evaluationId));
        Assert.True(await world.Evaluations.AskForMoreTimeAsync("expert3", evaluationId));
        Assert.Equal(EvaluationService.Iso(EvaluationWorld.Start.AddDays(2)), (await world.Engine.GetVariablesAsync(instance.Id))[EvaluationVariables.EvaluationDue]);
        // The members' tasks, created with the old limit, move with it.
        Assert.All(await world.Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }), t => Assert.Equal(EvaluationWorld.Start.AddDays(2), t.Due));

        // expert5 saved a draft, then is replaced: the draft is voided and the task goes to the replacement.
        var b = world.BidIds;
        await world.Evaluations.SaveDraftAsync("expert5", evaluationId, [EvaluationWorld.Reject(b[0], RejectionReason.NotQualified)]);
        var leaving = world.Committees.Members.Single(m => m.UserName == "expert5");
        await world.Evaluations.ReplaceMemberAsync(EvaluationWorld.Staff(world.Project.CentreId), evaluationId, leaving.ExpertId, "因回避事由更换");
        tasks = await world.Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id });
        Assert.Equal(["expert1", "expert2", "expert3", "expert4", "expertR1"], tasks.Select(t => t.Assignee).Order());
        Assert.Equal(DomainRuleCode(EvaluationRules.NotAMember), await RuleOfAsync(() => world.Evaluations.SubmitAsync("expert5", evaluationId)));

        foreach (var task in tasks)
        {
            var user = task.Assignee!;
            var tech = user == "expert1" ? 38m : 30m;
            await world.Evaluations.SubmitAsync(user, evaluationId,
            [
                EvaluationWorld.Pass(b[0], ("tech", tech), ("credit", 15m)),
                EvaluationWorld.Pass(b[1], ("tech", 36m), ("credit", 18m)),
                EvaluationWorld.Pass(b[2], ("tech", 30m), ("credit", 10m)),
                user is "expert1" or "expert2" or "expertR1" ? EvaluationWorld.Reject(b[3], RejectionReason.NotResponsive) : EvaluationWorld.Pass(b[3], ("tech", 40m), ("credit", 20m)),
            ]);
            await world.Engine.CompleteTaskAsync(task.Id, null, user);
        }

        var report = Assert.Single(await world.Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }));
        Assert.Equal(("writeReport", "expert1", "component:evaluation-report"), (report.ElementId, report.Assignee, report.FormKey));
        Assert.Null(await world.Services.GetRequiredService<IEvaluationResults>().GetConfirmedReportAsync(world.Project.Id));
        Assert.Equal(DomainRuleCode(EvaluationRules.NotChair), await RuleOfAsync(() => world.Evaluations.WriteReportAsync("expert2", evaluationId, "摘要")));
        await world.Evaluations.WriteReportAsync("expert1", evaluationId, "经评审，推荐以下三名中标候选人。");
        await world.Engine.CompleteTaskAsync(report.Id, null, "expert1");

        var confirmations = await world.Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id });
        Assert.Equal(["expert1", "expert2", "expert3", "expert4", "expertR1"], confirmations.Select(t => t.Assignee).Order());
        foreach (var task in confirmations)
        {
            var (answer, dissent) = task.Assignee switch
            {
                "expert2" => (ReportConfirmation.Dissented, "第四名投标人的施工方案响应了实质性要求。"),
                "expert3" => (ReportConfirmation.RefusedWithoutReason, null),
                _ => (ReportConfirmation.Agreed, (string?)null),
            };
            await world.Evaluations.ConfirmAsync(task.Assignee!, evaluationId, answer, dissent);
            await world.Engine.CompleteTaskAsync(task.Id, null, task.Assignee);
        }

        var finished = await world.Engine.GetInstanceAsync(instance.Id);
        Assert.Equal(Trading.Workflow.Engine.Store.InstanceState.Completed, finished!.State);
        Assert.Equal(3, Convert.ToInt32((await world.Engine.GetVariablesAsync(instance.Id))[EvaluationVariables.CandidateCount], System.Globalization.CultureInfo.InvariantCulture));
        var confirmed = await world.Services.GetRequiredService<IEvaluationResults>().GetConfirmedReportAsync(world.Project.Id);
        Assert.NotNull(confirmed);
        var section = Assert.Single(confirmed.Sections);
        Assert.Equal("ComprehensiveScoring", section.Method);
        Assert.Equal([1, 2, 3], section.Candidates.Select(c => c.Rank));
        Assert.Equal("演示投标人2有限公司", section.Candidates[0].EntityName);
        Assert.Equal("专家1", confirmed.ChairDisplayName);
        Assert.Equal(4, section.Bidders.Count);
        // expert1, expert2 and the replacement rejected the fourth bid (3 of 5, a majority); expert5's voided draft never counted.
        Assert.Equal([false, false, false, true], section.Bidders.Select(x => x.Rejected));
        Assert.Equal(nameof(RejectionReason.NotResponsive), section.Bidders[3].RejectionReason);

        // The committee no longer reads the bids once the report is final.
        Assert.Equal(OpeningRules.NotAllowed, (await Assert.ThrowsAsync<DomainRuleException>(() =>
            openings.OpenedItemsAsync(new ProjectPrincipal("expert1", [Domain.Accounts.PlatformRoles.Expert], null, []), world.BidIds[0]))).RuleCode);
        Assert.Contains("evaluation.extended", await world.TrailActionsAsync());
        Assert.Contains("evaluation.member.replaced", await world.TrailActionsAsync());
        Assert.Contains("evaluation.report.confirmed", await world.TrailActionsAsync());
    }

    private static string DomainRuleCode(string code) => code;

    private static async Task<string> RuleOfAsync(Func<Task> action) => (await Assert.ThrowsAsync<DomainRuleException>(action)).RuleCode;

    public static string Fragment()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "tests", "Trading.Workflow.Domain.Tests", "Evaluation", "Files", "evaluation-fragment.bpmn");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"evaluation-fragment.bpmn not found above {AppContext.BaseDirectory}.");
    }
}
