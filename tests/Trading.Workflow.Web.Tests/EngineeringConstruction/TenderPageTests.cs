using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Market;
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

    [Fact]
    public async Task NoClarificationsOrObjections_TheSectionsSaySo_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tender = await TenderAsync(services, 958, opened: false);

        await SignInAsync(services, "staff");
        var zh = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        zh.WaitForAssertion(() => Assert.NotEmpty(zh.FindAll("[data-testid=tender-summary]")));
        Assert.Equal("暂无澄清或修改。", zh.Find("[data-testid=tender-clarifications-none]").TextContent.Trim());
        Assert.Equal("暂无异议。", zh.Find("[data-testid=tender-objections-none]").TextContent.Trim());

        Culture("en");
        var en = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        en.WaitForAssertion(() => Assert.NotEmpty(en.FindAll("[data-testid=tender-summary]")));
        Assert.Equal("No clarifications or amendments yet.", en.Find("[data-testid=tender-clarifications-none]").TextContent.Trim());
        Assert.Equal("No objections yet.", en.Find("[data-testid=tender-objections-none]").TextContent.Trim());
    }

    [Fact]
    public async Task NoDocumentsYet_TheTendereeReadsThatThereAreNone_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tenderee = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("tenderee"))!;
        var owner = (await services.GetRequiredService<IEntityMembership>().EntitiesOfAsync(tenderee.AccountId)).First();
        var tender = await TenderAsync(services, 959, opened: false, owner.EntityId, scheduled: false);

        await SignInAsync(services, "tenderee");
        var zh = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        zh.WaitForAssertion(() => Assert.NotEmpty(zh.FindAll("[data-testid=tender-summary]")));
        Assert.Equal("暂无招标文件。", zh.Find("[data-testid=tender-documents-none]").TextContent.Trim());
        Assert.Empty(zh.FindAll("[data-testid=tender-document]"));
        // Nothing issued, nothing to clarify (法 23): the form is not offered (the tender refuses it too).
        Assert.Empty(zh.FindAll("[data-testid=clarification-title]"));

        Culture("en");
        var en = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        en.WaitForAssertion(() => Assert.NotEmpty(en.FindAll("[data-testid=tender-summary]")));
        Assert.Equal("No tender documents yet.", en.Find("[data-testid=tender-documents-none]").TextContent.Trim());

        // Once scheduled with its documents, the line gives way to them.
        var scheduledTender = await TenderAsync(services, 960, opened: false, owner.EntityId);
        var listed = Render<TenderPage>(p => p.Add(c => c.ProjectId, scheduledTender.ProjectId));
        listed.WaitForAssertion(() => Assert.NotEmpty(listed.FindAll("[data-testid=tender-document]")));
        Assert.Empty(listed.FindAll("[data-testid=tender-documents-none]"));
        Assert.NotEmpty(listed.FindAll("[data-testid=clarification-title]"));
    }

    [Fact]
    public async Task ObjectionForm_IsOfferedOnlyToWhoObtainedTheDocuments_AndOnlyUntilTenDaysBeforeTheDeadline()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        // On sale since 14 Oct, bids due 3 Nov: on the test's real clock (after 3 Nov) the objection window has closed.
        var tender = await TenderAsync(services, 953, opened: false);

        await SignInAsync(services, "bidder");
        var notObtained = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        notObtained.WaitForAssertion(() => Assert.Contains("只有获取了招标文件的潜在投标人可以", notObtained.Find("[data-testid=objection-not-obtained]").TextContent, StringComparison.Ordinal));
        Assert.Empty(notObtained.FindAll("[data-testid=objection-raise]"));

        var entity = (await services.GetRequiredService<IEntityMembership>().EntitiesOfAsync((await services.GetRequiredService<Trading.Workflow.Domain.Accounts.IUserDirectory>().FindByUserNameAsync("bidder"))!.AccountId)).First();
        // A colleague of the same company obtained the documents: the company may object (the server's rule), so this
        // user is not told it lacks them.
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO tr_ec_downloads (id, project_id, entity_id, entity_name, document_id, user_name, at) VALUES ({0}, {1}, {2}, {3}, {4}, 'bidder-colleague', {5})",
                Guid.NewGuid().ToString().ToUpperInvariant(), tender.ProjectId.ToString().ToUpperInvariant(), entity.EntityId.ToString().ToUpperInvariant(), entity.Name,
                tender.DocumentIds[0].ToString().ToUpperInvariant(), At(10, 15).UtcTicks);
        }

        // Bids due 3 Nov: 24 Oct + 10 日 still reaches it, 25 Oct does not.
        var last = TenderRules.ObjectionLastDay(tender.BidDeadline, TenderLimits.Statutory, Calendar);
        Assert.Equal(new DateOnly(2026, 10, 24), last);
        var closed = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        closed.WaitForAssertion(() => Assert.NotEmpty(closed.FindAll("[data-testid=objection-closed]")));
        Assert.Equal("对招标文件提出异议的期限（投标截止时间 10 日前）已于 2026-10-25 00:00 届满（《招标投标法实施条例》第二十二条）。", closed.Find("[data-testid=objection-closed]").TextContent.Trim());
        Assert.Empty(closed.FindAll("[data-testid=objection-raise]"));
        Assert.Empty(closed.FindAll("[data-testid=objection-not-obtained]"));
        Assert.Empty(closed.FindAll("[data-testid=tender-suspended]"));
    }

    [Fact]
    public async Task AnUnansweredObjection_ShowsEveryReaderThatTheProcedureWaitsForTheAnswer_WithItsDueTime()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tender = await TenderAsync(services, 954, opened: false);
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            // Another bidder's objection of 20 Oct, its answer due at the end of the 3rd 日 (条例 22).
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO tr_ec_objections (id, project_id, entity_id, entity_name, text, raised_by, raised_at, answer_due_at) VALUES ({0}, {1}, {2}, '演示第二建筑有限公司', '工期要求不合理。', 'bidder2', {3}, {4})",
                Guid.NewGuid().ToString().ToUpperInvariant(), tender.ProjectId.ToString().ToUpperInvariant(), Guid.NewGuid().ToString().ToUpperInvariant(), At(10, 20).UtcTicks, At(10, 24, 0).UtcTicks);
        }

        foreach (var user in new[] { "bidder", "staff" })
        {
            await SignInAsync(services, user);
            var page = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=tender-suspended]")));
            Assert.Equal("招标投标活动暂停：对招标文件的异议尚未答复（《招标投标法实施条例》第二十二条），答复期限 2026-10-24 00:00。",
                page.Find("[data-testid=tender-suspended]").TextContent.Trim());
            // The bidder learns of the suspension, not what another bidder objected to; staff read the objection.
            Assert.Equal(user == "staff", page.Markup.Contains("工期要求不合理", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task DeadlinePassedWithAnObjectionUnanswered_EveryPartyReadsTheOpeningIsHeld_TendereeAndStaffWhatToDo_ReleasedByTheAnswer()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tenderee = (await services.GetRequiredService<Trading.Workflow.Domain.Accounts.IUserDirectory>().FindByUserNameAsync("tenderee"))!;
        var owner = (await services.GetRequiredService<IEntityMembership>().EntitiesOfAsync(tenderee.AccountId)).First();
        // Bids were due 3 Nov; on the test's real clock (after it) the deadline has passed with the objection unanswered.
        var tender = await TenderAsync(services, 956, opened: false, owner.EntityId);
        var objection = Guid.NewGuid();
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO tr_ec_objections (id, project_id, entity_id, entity_name, text, raised_by, raised_at, answer_due_at) VALUES ({0}, {1}, {2}, '演示第二建筑有限公司', '工期要求不合理。', 'bidder2', {3}, {4})",
                objection.ToString().ToUpperInvariant(), tender.ProjectId.ToString().ToUpperInvariant(), Guid.NewGuid().ToString().ToUpperInvariant(), At(10, 20).UtcTicks, At(10, 24, 0).UtcTicks);
        }

        foreach (var (user, todo) in new[] { ("tenderee", "请在待办“答复异议”中逐项答复"), ("staff", "招标人答复前，平台不启动开标和评标"), ("bidder", null), ("supervisor", null) })
        {
            await SignInAsync(services, user);
            var page = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=tender-suspended]")));
            Assert.Equal("招标投标活动暂停：对招标文件的异议尚未答复（《招标投标法实施条例》第二十二条），答复期限 2026-10-24 00:00。",
                page.Find("[data-testid=tender-suspended]").TextContent.Trim());
            Assert.StartsWith("投标截止时间 2026-11-03 09:30 已到：异议答复前不开标", page.Find("[data-testid=tender-opening-held]").TextContent.Trim(), StringComparison.Ordinal);
            // Where the countdown to the opening stood: the opening does not start, and why.
            Assert.Equal("开标暂停：对招标文件的异议尚未答复", page.Find("[data-testid=tender-opening-start]").TextContent.Trim());
            Assert.Empty(page.FindAll("[data-testid=tender-countdown]"));
            if (todo is null)
            {
                Assert.Empty(page.FindAll("[data-testid=tender-hold-todo]"));
            }
            else
            {
                Assert.StartsWith(todo, page.Find("[data-testid=tender-hold-todo]").TextContent.Trim(), StringComparison.Ordinal);
            }
        }

        Culture("en");
        var english = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        english.WaitForAssertion(() => Assert.NotEmpty(english.FindAll("[data-testid=tender-suspended]")));
        Assert.Equal("Procedure suspended: an objection to the tender documents is not answered yet (Implementing Regulations art. 22); answer due 2026-10-24 00:00.",
            english.Find("[data-testid=tender-suspended]").TextContent.Trim());
        Assert.Equal("Opening held: an objection to the documents is unanswered", english.Find("[data-testid=tender-opening-start]").TextContent.Trim());

        // Answered: the hold is released for everyone.
        Culture("zh-CN");
        await services.GetRequiredService<TenderService>().AnswerObjectionAsync(objection, "工期不变。",
            new TenderActor("tenderee", tenderee.AccountId, [.. tenderee.Roles], null));
        await SignInAsync(services, "staff");
        var released = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        released.WaitForAssertion(() => Assert.Contains("已答复：工期不变。", released.Markup, StringComparison.Ordinal));
        Assert.Empty(released.FindAll("[data-testid=tender-suspended]"));
        Assert.Empty(released.FindAll("[data-testid=tender-opening-start]"));
    }

    [Fact]
    public async Task HoldBanner_BeforeTheDeadline_SaysDownloadsAndBidsGoOn_AndNothingIsOpened()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tender = await TenderAsync(services, 957, opened: false);
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO tr_ec_objections (id, project_id, entity_id, entity_name, text, raised_by, raised_at, answer_due_at) VALUES ({0}, {1}, {2}, '演示第二建筑有限公司', '工期要求不合理。', 'bidder2', {3}, {4})",
                Guid.NewGuid().ToString().ToUpperInvariant(), tender.ProjectId.ToString().ToUpperInvariant(), Guid.NewGuid().ToString().ToUpperInvariant(), At(10, 20).UtcTicks, At(10, 24, 0).UtcTicks);
        }

        var objections = await services.GetRequiredService<TenderService>().ObjectionsAsync(tender.ProjectId);
        var banner = Render<TenderHoldBanner>(p => p.Add(c => c.Tender, tender).Add(c => c.Objections, objections).Add(c => c.Now, At(10, 22)));
        Assert.Equal("答复前招标文件下载和投标文件递交照常进行；答复前不开标、不评标。", banner.Find("[data-testid=tender-hold-bids]").TextContent.Trim());
        Assert.Empty(banner.FindAll("[data-testid=tender-opening-held]"));
        Assert.Empty(banner.FindAll("[data-testid=tender-hold-todo]"));

        var none = Render<TenderHoldBanner>(p => p.Add(c => c.Tender, tender).Add(c => c.Objections, Array.Empty<TenderObjection>()).Add(c => c.Now, At(10, 22)));
        Assert.Empty(none.FindAll("[data-testid=tender-suspended]"));
    }

    [Fact]
    public async Task AnsweredObjection_TheObjectorComplainsFromTheTenderPage_ThenSeesTheAcceptanceDue_StaffReadIt()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tender = await TenderAsync(services, 955, opened: false);
        var account = (await services.GetRequiredService<Trading.Workflow.Domain.Accounts.IUserDirectory>().FindByUserNameAsync("bidder"))!;
        var entity = (await services.GetRequiredService<IEntityMembership>().EntitiesOfAsync(account.AccountId)).First();
        // The bidder's objection, answered yesterday (on the test's real clock): 10 日 to complain (条例 60).
        var answered = services.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(-1);
        var objection = Guid.NewGuid();
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO tr_ec_objections (id, project_id, entity_id, entity_name, text, raised_by, raised_at, answer_due_at, answer, answered_by, answered_at) VALUES ({0}, {1}, {2}, {3}, '工期要求不合理。', 'bidder', {4}, {5}, '工期不变。', 'tenderee', {6})",
                objection.ToString().ToUpperInvariant(), tender.ProjectId.ToString().ToUpperInvariant(), entity.EntityId.ToString().ToUpperInvariant(), entity.Name,
                answered.AddDays(-1).UtcTicks, answered.AddDays(2).UtcTicks, answered.UtcTicks);
        }

        await SignInAsync(services, "bidder");
        var page = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=complaint-file]")));

        await services.GetRequiredService<ComplaintService>().FileAsync(ComplaintObjectionKind.Documents, objection, "答复未说明理由。",
            new TenderActor("bidder", account.AccountId, [.. account.Roles], null));
        var filed = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        filed.WaitForAssertion(() => Assert.Contains("待受理：行政监督部门应于", filed.Find("[data-testid=complaint-stage]").TextContent, StringComparison.Ordinal));
        Assert.Empty(filed.FindAll("[data-testid=complaint-file]"));
        Assert.Empty(filed.FindAll("[data-testid=complaint-accept]"));

        // Staff of the centre read the objection and the complaint; they file and accept nothing here.
        await SignInAsync(services, "staff");
        var staff = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        staff.WaitForAssertion(() => Assert.Contains("答复未说明理由。", staff.Markup, StringComparison.Ordinal));
        Assert.Empty(staff.FindAll("[data-testid=complaint-file]"));
        Assert.Empty(staff.FindAll("[data-testid=complaint-accept]"));
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
