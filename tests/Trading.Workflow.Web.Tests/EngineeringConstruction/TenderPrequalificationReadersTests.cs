using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Web.Components.Pages.EngineeringConstruction;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.EngineeringConstruction;

/// <summary>
/// The prequalification review is the tenderee's committee's (条例 18), in the tenderee's task; the centre's staff who
/// host the tender and the supervisors read it on the tender page: once the applications are closed, who applied and
/// each finding. Before, they read only the count (the applicants stay confidential, 法 22).
/// </summary>
public sealed class TenderPrequalificationReadersTests : TenderPageTest
{
    [Fact]
    public async Task ApplicationsClosed_StaffAndSupervisorReadEachFinding_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tender = await PrequalifyingAsync(services, 971, applicationDeadline: DateTimeOffset.UtcNow.AddMinutes(-1));
        await ApplicationAsync(services, tender, "演示建设工程有限公司（演示数据）", "Qualified", null);
        await ApplicationAsync(services, tender, "演示第二建筑有限公司（演示数据）", "NotQualified", "项目经理资格不符");
        await ApplicationAsync(services, tender, "演示第三路桥工程有限公司（演示数据）", null, null);

        foreach (var user in new[] { "staff", "supervisor" })
        {
            await SignInAsync(services, user);
            var page = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
            page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=pq-application-row]").Count));
            var rows = page.FindAll("[data-testid=pq-application-row]").Select(r => r.TextContent).ToList();
            Assert.Contains(rows, r => r.Contains("演示建设工程有限公司", StringComparison.Ordinal) && r.Contains("合格", StringComparison.Ordinal));
            Assert.Contains(rows, r => r.Contains("不合格：项目经理资格不符", StringComparison.Ordinal));
            Assert.Contains(rows, r => r.Contains("演示第三路桥", StringComparison.Ordinal) && r.Contains("待审查", StringComparison.Ordinal));
            Assert.Contains("资格审查委员会", page.Find("[data-testid=pq-reviewer]").TextContent, StringComparison.Ordinal);
        }

        Culture("en");
        var english = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        english.WaitForAssertion(() => Assert.Equal(3, english.FindAll("[data-testid=pq-application-row]").Count));
        Assert.Contains("qualification review committee", english.Find("[data-testid=pq-reviewer]").TextContent, StringComparison.Ordinal);
        Assert.Contains(english.FindAll("[data-testid=pq-finding]"), f => f.TextContent.Trim() == "To be reviewed");
    }

    [Fact]
    public async Task ApplicationsStillTaken_StaffReadOnlyTheCount()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tender = await PrequalifyingAsync(services, 972, applicationDeadline: DateTimeOffset.UtcNow.AddDays(3));
        await ApplicationAsync(services, tender, "演示建设工程有限公司（演示数据）", null, null);

        await SignInAsync(services, "staff");
        var page = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        page.WaitForAssertion(() => Assert.Contains("已收到申请 1 份", page.Find("[data-testid=pq-count]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=pq-application-row]"));
        Assert.DoesNotContain("演示建设工程有限公司", page.Markup, StringComparison.Ordinal);
    }

    /// <summary>A demo-city tender in its prequalification, applications due at <paramref name="applicationDeadline"/>.</summary>
    private static async Task<Tender> PrequalifyingAsync(IServiceProvider services, int sequence, DateTimeOffset applicationDeadline)
    {
        var tender = await TenderAsync(services, sequence, opened: false, scheduled: false);
        await using var db = services.GetRequiredService<ITradingDatabase>().Create();
        // Stored as the tender part stores it: the stage and the prequalification's dates (the statutory periods are the
        // domain's tests' business; here the deadline is set around the real clock the page reads).
        await db.Database.ExecuteSqlRawAsync(
            "UPDATE tr_ec_tenders SET stage = 'Prequalification', prequalification = 1, pq_application_deadline = {0} WHERE project_id = {1}",
            applicationDeadline.UtcTicks, tender.ProjectId.ToString().ToUpperInvariant());
        return (await db.Set<Tender>().AsNoTracking().SingleAsync(t => t.ProjectId == tender.ProjectId));
    }

    private static async Task ApplicationAsync(IServiceProvider services, Tender tender, string entity, string? decision, string? reason)
    {
        await using var db = services.GetRequiredService<ITradingDatabase>().Create();
        object[] values = [Guid.NewGuid().ToString().ToUpperInvariant(), tender.ProjectId.ToString().ToUpperInvariant(), Guid.NewGuid().ToString().ToUpperInvariant(), entity,
            Guid.NewGuid().ToString().ToUpperInvariant(), DateTimeOffset.UtcNow.AddDays(-1).UtcTicks];
        if (decision is null)
        {
            // Not yet reviewed: the finding's columns stay NULL.
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO tr_ec_applications (id, project_id, entity_id, entity_name, document_id, submitted_by, submitted_at) "
                + "VALUES ({0}, {1}, {2}, {3}, {4}, 'bidder', {5})", values);
            return;
        }

        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO tr_ec_applications (id, project_id, entity_id, entity_name, document_id, submitted_by, submitted_at, decision, reason, reviewed_by, reviewed_at) "
            + "VALUES ({0}, {1}, {2}, {3}, {4}, 'bidder', {5}, {6}, {7}, 'tenderee', {8})",
            [.. values, decision, reason ?? string.Empty, DateTimeOffset.UtcNow.UtcTicks]);
    }
}
