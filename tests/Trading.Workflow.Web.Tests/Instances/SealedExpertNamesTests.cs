using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Components.Workflow;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Instances;

/// <summary>
/// A sealed expert in an instance's history, tasks and variables, as the instance viewer and the task page show them:
/// in the reader's language only (the 2026-12-07 walk read "［评标专家（密封）/ sealed expert］" on a Chinese page).
/// </summary>
public sealed class SealedExpertNamesTests : PlatformComponentTest
{
    private static readonly Guid Instance = Guid.NewGuid();

    private static readonly DateTimeOffset At = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);

    private static InstanceDetail Sealed()
    {
        var info = new ProcessInstanceInfo(Instance, "engineering.tender", 1, "530100-GC-2026-00007", InstanceState.Active, null, At, "agency", null, null, 1, ["evaluate"]);
        HistoryEvent[] history =
        [
            new(Instance, HistoryEventType.ActivityStarted, At) { ElementId = "evaluate", ElementName = "评标", UserId = ExpertNameSeal.Placeholder },
            new(Instance, HistoryEventType.TaskCompleted, At.AddMinutes(1)) { ElementId = "evaluate", UserId = ExpertNameSeal.Placeholder, Details = $$"""{"assignee":"{{ExpertNameSeal.Placeholder}}"}""" },
        ];
        var task = new UserTaskInfo(Guid.NewGuid(), Instance, "engineering.tender", 1, info.BusinessKey, "evaluate", "评标", null, ExpertNameSeal.Placeholder, null,
            [ExpertNameSeal.Placeholder], [], null, null, null, 50, UserTaskState.Completed, At, null, null, ExpertNameSeal.Placeholder, At.AddMinutes(1), null);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["evaluators"] = new List<object?> { ExpertNameSeal.Placeholder, "tenderee2" },
            ["projectCode"] = info.BusinessKey,
        };
        return new InstanceDetail(info, "工程招标", null, ["evaluate"], [], new Dictionary<string, int>(), history, [], [], [task], variables, [], []);
    }

    [Theory]
    [InlineData("zh-CN", "评标专家（密封）", "sealed expert")]
    [InlineData("en", "sealed expert", "评标专家")]
    public void SealedExpert_ReadsInTheReadersLanguageOnly(string culture, string shown, string absent)
    {
        Culture(culture);
        var detail = SealedExpertNames.Localize(Sealed(), Services.GetRequiredService<IStringLocalizer<SharedResource>>())!;

        var cut = Render<HistoryTimeline>(p => p.Add(h => h.Events, detail.History).Add(h => h.Tasks, detail.Tasks).Add(h => h.Variables, detail.Variables));
        Assert.Contains(shown, cut.Find("[data-testid=history-user]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(absent, cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(ExpertNameSeal.Placeholder, cut.Markup, StringComparison.Ordinal);

        var task = Assert.Single(detail.Tasks);
        Assert.Equal(new string?[] { shown, shown, shown }, new[] { task.Assignee, task.CompletedBy, Assert.Single(task.CandidateUsers) });
        Assert.Equal(new object?[] { shown, "tenderee2" }, (IEnumerable<object?>)detail.Variables["evaluators"]!);
        Assert.Equal($$"""{"assignee":"{{shown}}"}""", detail.History[1].Details);
    }

    [Fact]
    public void NothingSealed_TheDetailIsPassedThrough()
    {
        var detail = Sealed() with { History = [], Tasks = [], Variables = new Dictionary<string, object?>() };
        Assert.Same(detail, SealedExpertNames.Localize(detail, Services.GetRequiredService<IStringLocalizer<SharedResource>>()));
    }
}
