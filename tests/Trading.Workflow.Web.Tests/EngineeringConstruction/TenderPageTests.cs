using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Web.Components.Pages.EngineeringConstruction;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.EngineeringConstruction;

/// <summary>
/// The tender page: staff of the demo county below the city see nothing of a city tender (as on the project page); the
/// stage after the opening follows the award and the archive.
/// </summary>
public sealed class TenderPageTests : TenderPageTest
{
    [Fact]
    public async Task Stage_AfterTheOpening_FollowsTheAward_ThenTheArchive_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tender = await TenderAsync(services, 951, opened: true);
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            db.Add(Published(tender));
            await db.SaveChangesAsync();
        }

        await SignInAsync(services, "staff");
        Assert.Equal("中标候选人公示", StageOf(tender.ProjectId));

        await ChangeAwardAsync(services, tender.ProjectId, a =>
            a.Award([new AwardChoice(a.Candidates[0].SectionId, a.Candidates[0].EntityId, null)], 0, "tenderee", a.PublicityEndsAt, AwardLimits.Statutory, Calendar));
        Assert.Equal("已定标", StageOf(tender.ProjectId));

        await ChangeAwardAsync(services, tender.ProjectId, a => a.MarkContractsSigned(At(12, 1), At(12, 1)));
        Assert.Equal("合同已签订", StageOf(tender.ProjectId));

        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO tr_archive_projects (project_id, centre_id, project_code, archived_at, archived_by, package_document_id, package_sm3, manifest_sm3, entries) "
                + "VALUES ({0}, {1}, {2}, {3}, 'system:procedure', {4}, 'x', 'y', 1)",
                tender.ProjectId.ToString().ToUpperInvariant(), tender.CentreId.ToString().ToUpperInvariant(), tender.ProjectCode, At(12, 2).UtcTicks,
                Guid.NewGuid().ToString().ToUpperInvariant());
        }

        Assert.Equal("已归档", StageOf(tender.ProjectId));
        Culture("en");
        Assert.Equal("Archived", StageOf(tender.ProjectId));
    }

    [Fact]
    public async Task CityTender_IsRefusedToStaffOfTheCountyBelow_AndShownToTheCitysStaff()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tender = await TenderAsync(services, 952, opened: false);

        await SignInAsync(services, "staff2");
        var county = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        county.WaitForAssertion(() => Assert.NotEmpty(county.FindAll("[data-testid=tender-missing]")));
        Assert.Empty(county.FindAll("[data-testid=tender-summary]"));
        Assert.DoesNotContain(tender.ProjectName, county.Markup, StringComparison.Ordinal);

        await SignInAsync(services, "staff");
        var city = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        city.WaitForAssertion(() => Assert.NotEmpty(city.FindAll("[data-testid=tender-summary]")));
    }

    /// <summary>The candidates of <paramref name="tender"/> published on 5 Nov (one section, three ranked bidders).</summary>
    private static TenderAward Published(Tender tender)
    {
        var section = Guid.NewGuid();
        var bidders = new[] { (Guid.NewGuid(), "演示建设工程有限公司"), (Guid.NewGuid(), "演示第二建筑有限公司"), (Guid.NewGuid(), "演示第三建筑有限公司") };
        return TenderAward.Publish(tender, "演示市城市建设投资有限公司", true, Guid.NewGuid(), At(11, 5), "三家投标人均通过资格评审。",
            [.. bidders.Select((b, i) => new AwardCandidate(section, "BD01", i + 1, b.Item1, b.Item2, 4_200_000m + (i * 100_000m), 90m - i, 300))],
            [.. bidders.Select((b, i) => new AwardBidder(section, b.Item1, b.Item2, 4_200_000m + (i * 100_000m), false))],
            At(11, 5), AwardLimits.Statutory, Calendar);
    }

    private static async Task ChangeAwardAsync(IServiceProvider services, Guid projectId, Action<TenderAward> change)
    {
        await using var db = services.GetRequiredService<ITradingDatabase>().Create();
        change(await db.Set<TenderAward>().FirstAsync(a => a.ProjectId == projectId));
        await db.SaveChangesAsync();
    }

    private string StageOf(Guid projectId)
    {
        var page = Render<TenderPage>(p => p.Add(c => c.ProjectId, projectId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=tender-stage]")));
        return page.Find("[data-testid=tender-stage]").TextContent.Trim();
    }
}
