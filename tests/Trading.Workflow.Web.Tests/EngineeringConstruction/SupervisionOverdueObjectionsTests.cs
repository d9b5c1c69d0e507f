using Bunit;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Web.Components.Pages.EngineeringConstruction.Award;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.EngineeringConstruction;

/// <summary>
/// The supervisors' list of objections left unanswered past their due time, both kinds, with the project, the objector,
/// when it was received, when it was due and how many days overdue; the query behind it (centre, due time) is proven by
/// the domain tests (AwardProcedureTests, EngineeringTenderProcedureTests).
/// </summary>
public sealed class SupervisionOverdueObjectionsTests : PlatformComponentTest
{
    private static DateTimeOffset At(int day, int hour) => new(2026, 11, day, hour, 0, 0, TimeSpan.FromHours(8));

    private static readonly Guid Project = Guid.NewGuid();

    [Theory]
    [InlineData("zh-CN", "招标文件（条例 22）", "评标结果（条例 54）")]
    [InlineData("en", "Tender documents (Regulations art. 22)", "Evaluation result (Regulations art. 54)")]
    public void BothKinds_ListedWithProjectObjectorReceivedDueAndDaysOverdue(string culture, string documents, string result)
    {
        Culture(culture);
        OverdueObjection[] items =
        [
            new(OverdueObjectionKind.Documents, Project, "530100-GC-2026-00042", "演示市政道路改造工程", "演示第二建筑有限公司", At(10, 10), At(14, 0)),
            new(OverdueObjectionKind.Result, Project, "530100-GC-2026-00042", "演示市政道路改造工程", "演示第三建筑有限公司", At(20, 15), At(24, 0)),
        ];

        var cut = Render<OverdueObjectionsTable>(p => p.Add(c => c.Items, items).Add(c => c.Now, At(24, 10)));

        Assert.Equal([documents, result], cut.FindAll("[data-testid=overdue-objection-kind]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["演示第二建筑有限公司", "演示第三建筑有限公司"], cut.FindAll("[data-testid=overdue-objection-objector]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["2026-11-10 10:00", "2026-11-20 15:00"], cut.FindAll("[data-testid=overdue-objection-received]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["2026-11-14 00:00", "2026-11-24 00:00"], cut.FindAll("[data-testid=overdue-objection-due]").Select(e => e.TextContent.Trim()));
        // 10 days and 10 hours after the first due time: the 11th day has begun; 10 hours after the second: day 1.
        Assert.Equal(["11", "1"], cut.FindAll("[data-testid=overdue-objection-days]").Select(e => e.TextContent.Trim()));
        var links = cut.FindAll("[data-testid=overdue-objection-project] a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal([$"/engineering/tenders/{Project}", $"/engineering/tenders/{Project}/award"], links);
        Assert.Contains("530100-GC-2026-00042", cut.Find("[data-testid=overdue-objection-project]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=overdue-objections-none]"));
    }

    [Fact]
    public void NoneOverdue_SaysSo()
    {
        var cut = Render<OverdueObjectionsTable>(p => p.Add(c => c.Items, Array.Empty<OverdueObjection>()).Add(c => c.Now, At(24, 10)));
        Assert.NotEmpty(cut.FindAll("[data-testid=overdue-objections-none]"));
        Assert.Empty(cut.FindAll("[data-testid=overdue-objections]"));
    }
}
