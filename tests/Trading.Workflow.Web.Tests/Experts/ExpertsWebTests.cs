using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Experts;
using Trading.Workflow.Web.Market;
using Trading.Workflow.Web.Projects;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Experts;

/// <summary>
/// The demo pool in the real app, a draw for the demo project that must avoid the experts tied to the demo bidders and
/// the tenderee, and the components: the draw record sealed for the tenderee and whole for supervisors, the request
/// form's composition check, and an invitation's answer.
/// </summary>
public sealed class ExpertsWebTests : PlatformComponentTest
{
    [Fact]
    public async Task DemoPool_DrawForTheDemoProject_AvoidsTheTiedExperts_AndTheRecordIsSealedForTheTendereeButWholeForSupervisors()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        var services = factory.Services;
        var pool = services.GetRequiredService<ExpertPoolService>();
        var staff = new ExpertsActor("staff", "x", [PlatformRoles.Staff], null);
        var experts = await pool.ListAsync(new ExpertQuery(), staff);
        Assert.Equal(ExpertsDemoData.Experts.Select(e => e.UserName).Order(), experts.Select(e => e.UserName).Order());
        Assert.All(experts, e => Assert.EndsWith("（演示数据）", e.DisplayName, StringComparison.Ordinal));
        Assert.Equal("expert11", Assert.Single(experts, e => e.Status == ExpertStatus.Suspended).UserName);

        Guid projectId;
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            var project = await db.Set<Project>().AsNoTracking().Include(p => p.Sections).SingleAsync(p => p.Name == ProjectsDemoData.DemoProjectName);
            projectId = project.Id;
            var codes = MarketDemoData.Entities.Where(e => e.Role == PlatformRoles.Bidder && e.Kind == EntityKind.Organisation).Select(e => e.Identifier).ToList();
            var bidders = await db.Set<MarketEntity>().AsNoTracking().Where(e => codes.Contains(e.Identifier)).Select(e => e.Id).ToListAsync();
            Assert.Equal(3, bidders.Count);
            foreach (var bidder in bidders)
            {
                await services.GetRequiredService<ParticipationService>().EnsureAsync(project.Sections.First().Id, bidder, ParticipationOrigin.DocumentsDownloaded, "bidder");
            }
        }

        var tenderee = await Actor(services, "tenderee");
        var committees = services.GetRequiredService<CommitteeService>();
        // The draw waits for the evaluation method (set on /evaluations/{id}); the refusal names the rule.
        var refused = await Assert.ThrowsAsync<Trading.Workflow.Domain.DomainRuleException>(() => committees.RequestAsync(
            new CommitteeRequest(projectId, [new SpecialtyCount("A01", 4), new SpecialtyCount("B01", 1)], [], DateTimeOffset.UtcNow.AddDays(3)), tenderee));
        Assert.Equal(ExpertRules.EvaluationMethodRequired, refused.RuleCode);
        await services.GetRequiredService<EvaluationService>().SetMethodAsync(projectId, EvaluationMethod.LowestPrice(), "tenderee");
        var committee = await committees.RequestAsync(
            new CommitteeRequest(projectId, [new SpecialtyCount("A01", 4), new SpecialtyCount("B01", 1)], [], DateTimeOffset.UtcNow.AddDays(3)), tenderee);

        var names = experts.ToDictionary(e => e.Id, e => e.UserName);
        Assert.Equal(["expert10", "expert11", "expert6", "expert7", "expert8", "expert9"], committee.Rounds[0].Excluded.Select(x => names[x.ExpertId]).Order());
        Assert.Equal("expert14", names[Assert.Single(committee.Rounds[1].Excluded).ExpertId]);
        Assert.Equal(5, committee.Invitations.Count);
        Assert.DoesNotContain(committee.Invitations, i => i.UserName is "expert6" or "expert7" or "expert8" or "expert9" or "expert10" or "expert11" or "expert14");

        // The tenderee sees counts only; a supervisor sees every round with the avoided experts and their reasons.
        var sealedView = await committees.RecordAsync(projectId, tenderee);
        var forTenderee = Render<CommitteeRecordPanel>(p => p.Add(c => c.View, sealedView));
        Assert.NotEmpty(forTenderee.FindAll("[data-testid=record-sealed]"));
        Assert.Empty(forTenderee.FindAll("[data-testid=record-member]"));
        Assert.Empty(forTenderee.FindAll("[data-testid=record-round]"));
        Assert.All(committee.Invitations, i => Assert.DoesNotContain(i.DisplayName, forTenderee.Markup, StringComparison.Ordinal));

        var supervisor = await Actor(services, "supervisor");
        var wholeView = await committees.RecordAsync(projectId, supervisor);
        var full = Render<CommitteeRecordPanel>(p => p.Add(c => c.View, wholeView));
        Assert.Equal(5, full.FindAll("[data-testid=record-member]").Count);
        Assert.Equal(2, full.FindAll("[data-testid=record-round]").Count);
        Assert.Contains("工作单位为投标人", full.Markup, StringComparison.Ordinal);
        Assert.Contains("与投标人存在利害关系", full.Markup, StringComparison.Ordinal);
        Assert.Contains("行政监督部门工作人员", full.Markup, StringComparison.Ordinal);
        // The recorded generator named in the reader's language, the recorded value kept beside it (the 2026-12-07 walk
        // read a bare type name); the members table keeps its distance from the rounds' heading.
        Assert.Contains("人；随机数来源：操作系统的密码学安全随机数生成器（System.Security.Cryptography.RandomNumberGenerator）", full.Markup, StringComparison.Ordinal);
        Assert.Contains("tw-section", full.Find("[data-testid=record-members]").ClassList);
        Culture("en");
        var english = Render<CommitteeRecordPanel>(p => p.Add(c => c.View, wholeView));
        Assert.Contains("source of random numbers: the operating system's cryptographically secure random number generator (System.Security.Cryptography.RandomNumberGenerator)",
            english.Markup.Replace("&#x27;", "'", StringComparison.Ordinal), StringComparison.Ordinal);
        // A generator the panel does not know is shown as recorded.
        var round = wholeView.Committee.Rounds[0];
        typeof(ExpertCommittee).GetProperty(nameof(ExpertCommittee.Rounds))!.SetValue(wholeView.Committee, new[] { round with { Generator = "SeededTestRandom(42)" } });
        var unknown = Render<CommitteeRecordPanel>(p => p.Add(c => c.View, wholeView));
        Assert.Contains("source of random numbers: SeededTestRandom(42)", unknown.Markup, StringComparison.Ordinal);
        Culture("zh-CN");

        // The drawn expert confirms on the invitation card.
        var first = committee.Invitations[0];
        var mine = await committees.InvitationsOfAsync(await Actor(services, first.UserName));
        (bool Confirm, string? Reason)? answered = null;
        var card = Render<InvitationCard>(p => p.Add(c => c.Invitation, mine[0].Invitation).Add(c => c.Committee, mine[0].Committee)
            .Add(c => c.Now, DateTimeOffset.UtcNow).Add(c => c.OnAnswer, a => answered = a));
        Assert.True(card.Find("[data-testid=invitation-decline]").HasAttribute("disabled"));
        card.Find("[data-testid=invitation-confirm]").Click();
        card.WaitForAssertion(() => Assert.Equal((true, (string?)null), answered));
    }

    [Fact]
    public async Task Pages_InEnglish_SeparateSpecialtiesAndStatusReasonsWithEnglishPunctuation()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<ExpertsWeb>());
        SignIn("staff", PlatformRoles.Staff);
        RenderProviders();
        Culture("en");

        // The demo pool's expert15 has two specialties; the suspended expert's status carries its reason.
        var list = Render<ExpertPoolPage>();
        list.WaitForAssertion(() => Assert.Equal(ExpertsDemoData.Experts.Count, list.FindAll("[data-testid=pool-row]").Count));
        var rows = string.Join("\n", list.FindAll("[data-testid=pool-row]").Select(r => r.TextContent));
        Assert.DoesNotContain("；", rows, StringComparison.Ordinal);
        Assert.Contains("; Economics", rows, StringComparison.Ordinal);

        var suspended = (await scope.ServiceProvider.GetRequiredService<ExpertPoolService>().ListAsync(new ExpertQuery(Status: ExpertStatus.Suspended), new ExpertsActor("staff", "x", [PlatformRoles.Staff], null))).Single();
        var edit = Render<ExpertEditPage>(p => p.Add(c => c.Id, suspended.Id));
        // The reason itself is data (the demo's ends in "（演示数据）"); the page's own brackets are English ones.
        edit.WaitForAssertion(() => Assert.StartsWith("Suspended (年度考核不合格", edit.Find("[data-testid=edit-status]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.EndsWith("）)", edit.Find("[data-testid=edit-status]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_RenderThePoolForStaff_AnExpertsRecord_TheOwnProfile_AndNoInvitations()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<ExpertsWeb>());
        var staff = SignIn("staff", PlatformRoles.Staff);
        RenderProviders();

        var list = Render<ExpertPoolPage>();
        list.WaitForAssertion(() => Assert.Equal(ExpertsDemoData.Experts.Count, list.FindAll("[data-testid=pool-row]").Count));
        Assert.Contains("周立新（演示数据）", list.Markup, StringComparison.Ordinal);
        Assert.Contains("工程类 / 房屋建筑工程 / 建筑结构与土建", list.Markup, StringComparison.Ordinal);

        // The export link carries the filters the rows show: a search typed but not applied is not in it yet.
        Assert.Equal(ExpertPoolExport.Path, list.Find("[data-testid=pool-export]").GetAttribute("href"));
        list.Find("[data-testid=pool-search]").Input("周立新");
        Assert.Equal(ExpertPoolExport.Path, list.Find("[data-testid=pool-export]").GetAttribute("href"));
        list.Find("[data-testid=pool-filter]").Click();
        list.WaitForAssertion(() => Assert.Single(list.FindAll("[data-testid=pool-row]")));
        Assert.Equal(ExpertPoolExport.PathFor(new ExpertQuery("周立新")), list.Find("[data-testid=pool-export]").GetAttribute("href"));

        var suspended = (await scope.ServiceProvider.GetRequiredService<ExpertPoolService>().ListAsync(new ExpertQuery(Status: ExpertStatus.Suspended), new ExpertsActor("staff", "x", [PlatformRoles.Staff], null))).Single();
        var edit = Render<ExpertEditPage>(p => p.Add(c => c.Id, suspended.Id));
        edit.WaitForAssertion(() => Assert.Contains("暂停", edit.Find("[data-testid=edit-status]").TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(edit.FindAll("[data-testid=edit-reinstate]"));

        // A project with no draw requested yet: said plainly to those who may read the record, not as an error.
        Guid projectId;
        await using (var db = factory.Services.GetRequiredService<ITradingDatabase>().Create())
        {
            projectId = (await db.Set<Project>().AsNoTracking().SingleAsync(p => p.Name == ProjectsDemoData.DemoProjectName)).Id;
        }

        staff.SetAuthorized("supervisor");
        staff.SetRoles(PlatformRoles.Supervisor);
        var record = Render<CommitteeRecordPage>(p => p.Add(c => c.ProjectId, projectId));
        record.WaitForAssertion(() => Assert.Contains("尚未申请抽取评标专家", record.Find("[data-testid=record-none]").TextContent, StringComparison.Ordinal));
        Assert.Empty(record.FindAll("[data-testid=record-error]"));

        // A bidder is refused and told nothing of the draw (experts are secret until the result).
        staff.SetAuthorized("bidder");
        staff.SetRoles(PlatformRoles.Bidder);
        var forBidder = Render<CommitteeRecordPage>(p => p.Add(c => c.ProjectId, projectId));
        forBidder.WaitForAssertion(() => Assert.Equal("您无权进行此操作。", forBidder.Find("[data-testid=record-error]").TextContent.Trim()));
        Assert.Empty(forBidder.FindAll("[data-testid=record-none]"));

        staff.SetAuthorized("expert8");
        staff.SetRoles(PlatformRoles.Expert);
        var mine = Render<MyExpertProfilePage>();
        mine.WaitForAssertion(() => Assert.NotEmpty(mine.FindAll("[data-testid=profile-relation]")));
        Assert.Contains("张建国", mine.Markup, StringComparison.Ordinal);
        var invitations = Render<ExpertInvitationsPage>();
        invitations.WaitForAssertion(() => Assert.NotEmpty(invitations.FindAll("[data-testid=invitations-none]")));
    }

    [Fact]
    public async Task OwnProfile_LabelsThePoolStatus_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<ExpertsWeb>());
        SignIn("expert8", PlatformRoles.Expert);
        RenderProviders();

        var zh = Render<MyExpertProfilePage>();
        zh.WaitForAssertion(() => Assert.Equal("专家库状态：在库", zh.Find("[data-testid=mine-status]").TextContent.Trim()));

        Culture("en");
        var en = Render<MyExpertProfilePage>();
        en.WaitForAssertion(() => Assert.Equal("Pool status: Active", en.Find("[data-testid=mine-status]").TextContent.Trim()));
    }

    [Theory]
    [InlineData("zh-CN", "未申报。", "未申报利害关系。")]
    [InlineData("en", "None declared.", "No relationship declared.")]
    public void ProfileForm_WithNoFormerEmployerOrRelationship_SaysNoneIsDeclared_UntilOneIsAdded(string culture, string noPast, string noRelation)
    {
        Culture(culture);
        RenderProviders();
        var profile = new ExpertProfile("演示专家", null, "高级工程师", ["A0101"], new Employer("演示大学", null), false, [], []);
        var form = Render<ExpertProfileForm>(p => p.Add(c => c.Initial, profile));

        Assert.Equal(noPast, form.Find("[data-testid=profile-past-none]").TextContent.Trim());
        Assert.Equal(noRelation, form.Find("[data-testid=profile-relations-none]").TextContent.Trim());
        // The hint is a paragraph of its own, not run into the add button.
        Assert.Equal("P", form.Find("[data-testid=profile-relations-hint]").TagName);

        form.Find("button[data-testid=profile-add-past]").Click();
        form.Find("button[data-testid=profile-add-relation]").Click();
        Assert.Empty(form.FindAll("[data-testid=profile-past-none]"));
        Assert.Empty(form.FindAll("[data-testid=profile-relations-none]"));
    }

    [Fact]
    public void ProfileForm_PastEmployerDates_CanBeTyped()
    {
        // Years back are typed, not paged to month by month in the picker.
        RenderProviders();
        ExpertProfile? saved = null;
        var form = Render<ExpertProfileForm>(p => p.Add(c => c.OnSave, profile => saved = profile));

        form.Find("[data-testid=profile-add-past] button, button[data-testid=profile-add-past]").Click();
        var inputs = form.Find("[data-testid=profile-past]").QuerySelectorAll("input");
        // A read-only date field takes no typing in a browser.
        Assert.False(inputs[2].HasAttribute("readonly"));
        Assert.False(inputs[3].HasAttribute("readonly"));
        inputs[0].Change("演示原单位");
        form.Find("[data-testid=profile-past]").QuerySelectorAll("input")[2].Change("2005-03-01");
        form.Find("[data-testid=profile-past]").QuerySelectorAll("input")[3].Change("2019-12-31");
        form.Find("button[data-testid=profile-save]").Click();

        form.WaitForAssertion(() => Assert.NotNull(saved));
        var past = Assert.Single(saved!.PastEmployers);
        Assert.Equal(new DateOnly(2005, 3, 1), past.From);
        Assert.Equal(new DateOnly(2019, 12, 31), past.To);
    }

    [Fact]
    public void RequestForm_ChecksTheCompositionAsTyped_AndSubmitsTheCountsRepresentativesAndStart()
    {
        RenderProviders();
        (IReadOnlyList<SpecialtyCount> Specialties, IReadOnlyList<string> Representatives, DateTimeOffset EvaluationStartsAt)? submitted = null;
        var form = Render<DrawRequestForm>(p => p
            .Add(c => c.Choices, [new RepresentativeChoice("tenderee", "演示招标人"), new RepresentativeChoice("tenderee2", "演示招标人二")])
            .Add(c => c.InitialDate, new DateTime(2026, 12, 10))
            .Add(c => c.OnSubmit, r => submitted = r));

        form.WaitForAssertion(() => Assert.Contains("委员会共 5 人", form.Find("[data-testid=draw-check]").TextContent, StringComparison.Ordinal));
        Assert.Empty(form.FindAll("[data-testid=draw-problem]"));

        Input(form, "draw-count", 0).Input("5");
        form.WaitForAssertion(() => Assert.Contains("单数", form.Find("[data-testid=draw-problem]").TextContent, StringComparison.Ordinal));
        Assert.True(form.Find("button[data-testid=draw-submit]").HasAttribute("disabled"));

        Input(form, "draw-count", 0).Input("2");
        Input(form, "draw-representative", 0).Change(true);
        Input(form, "draw-representative", 1).Change(true);
        form.WaitForAssertion(() => Assert.Contains("三分之一", form.Find("[data-testid=draw-problem]").TextContent, StringComparison.Ordinal));

        Input(form, "draw-representative", 1).Change(false);
        Input(form, "draw-count", 0).Input("5");
        form.WaitForAssertion(() => Assert.Contains("委员会共 7 人", form.Find("[data-testid=draw-check]").TextContent, StringComparison.Ordinal));
        form.WaitForAssertion(() => Assert.Empty(form.FindAll("[data-testid=draw-problem]")));
        // The numeric field hands its value over asynchronously: wait until the button is enabled.
        form.WaitForAssertion(() => Assert.False(form.Find("button[data-testid=draw-submit]").HasAttribute("disabled")));
        // The date is typed, not only picked from the calendar.
        Assert.False(Input(form, "draw-date", 0).HasAttribute("readonly"));
        Input(form, "draw-date", 0).Change("2026-12-11");
        form.Find("button[data-testid=draw-submit]").Click();

        form.WaitForAssertion(() => Assert.NotNull(submitted));
        Assert.Equal([new SpecialtyCount("A01", 5), new SpecialtyCount("B01", 1)], submitted!.Value.Specialties);
        Assert.Equal(["tenderee"], submitted.Value.Representatives);
        Assert.Equal(new DateTimeOffset(2026, 12, 11, 9, 0, 0, TimeSpan.FromHours(8)), submitted.Value.EvaluationStartsAt);
    }

    [Fact]
    public void RequestForm_InEnglish_SaysTheRuleInEnglish()
    {
        Culture("en");
        RenderProviders();
        var form = Render<DrawRequestForm>(p => p.Add(c => c.InitialDate, new DateTime(2026, 12, 10)));

        Input(form, "draw-count", 1).Input("2");

        form.WaitForAssertion(() => Assert.Contains("odd number", form.Find("[data-testid=draw-problem]").TextContent, StringComparison.Ordinal));
        Assert.Contains("odd number", form.Find("[data-testid=draw-problem]").TextContent, StringComparison.Ordinal);
        Assert.Contains("no users of your organisation", form.Find("[data-testid=draw-no-choices]").TextContent, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void MethodNotice_BeforeTheMethodIsSet_RefusesInChineseAndPointsToTheEvaluationPage()
    {
        RenderProviders();
        var projectId = Guid.NewGuid();

        var notice = Render<DrawMethodNotice>(p => p.Add(c => c.ProjectId, projectId));

        Assert.Contains("请先在本项目的评标页设置", notice.Find("[data-testid=draw-method-missing]").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/evaluations/{projectId}", notice.Find("a[data-testid=draw-method-link]").GetAttribute("href"));
        Assert.Empty(notice.FindAll("[data-testid=draw-method]"));
    }

    [Fact]
    public void MethodNotice_InEnglish_RefusesInEnglish_AndOnceSetShowsTheMethodAndItsSettings()
    {
        Culture("en");
        RenderProviders();
        var projectId = Guid.NewGuid();

        var missing = Render<DrawMethodNotice>(p => p.Add(c => c.ProjectId, projectId));
        Assert.Contains("Set the evaluation method of the tender documents", missing.Find("[data-testid=draw-method-missing]").TextContent, StringComparison.Ordinal);

        var scoring = new EvaluationMethod(EvaluationMethodKind.ComprehensiveScoring, BasePriceFormula.AverageLessK, 0.05m, 40m, 1m, 0.5m,
            [new EvaluationCriterion("T1", "Construction design", CriterionCategory.Technical, 40m), new EvaluationCriterion("C1", "Record", CriterionCategory.Commercial, 20m)], 15m, 3);
        var set = Render<DrawMethodNotice>(p => p.Add(c => c.ProjectId, projectId).Add(c => c.Method, scoring));
        var text = set.Find("[data-testid=draw-method]").TextContent;
        Assert.Contains("comprehensive scoring", text, StringComparison.Ordinal);
        Assert.Contains("Price up to 40 points; criteria: Construction design 40, Record 20.", text, StringComparison.Ordinal);
        Assert.Contains("3 ranked candidates", text, StringComparison.Ordinal);
        Assert.Empty(set.FindAll("[data-testid=draw-method-missing]"));
    }

    [Fact]
    public void StartNotice_CommitteeConfirmedBeforeTheStart_SaysWhenTheEvaluationStarts_AndNothingOnceItOpened()
    {
        RenderProviders();
        var startsAt = new DateTimeOffset(2026, 12, 10, 9, 0, 0, TimeSpan.FromHours(8));
        var now = startsAt.AddHours(-20);

        var waiting = Render<EvaluationStartNotice>(p => p.Add(c => c.Start, new EvaluationStart(startsAt, CommitteeState.Confirmed, false)).Add(c => c.Now, now));
        var opened = Render<EvaluationStartNotice>(p => p.Add(c => c.Start, new EvaluationStart(startsAt, CommitteeState.Confirmed, true)).Add(c => c.Now, now));

        Assert.Equal("评标将于 2026-12-10 09:00 开始。", waiting.Find("[data-testid=evaluation-start-scheduled]").TextContent.Trim());
        Assert.Empty(opened.FindAll("[data-testid=evaluation-start-scheduled]"));
        Assert.Empty(opened.FindAll("[data-testid=evaluation-start-waiting]"));
    }

    [Fact]
    public void StartNotice_InEnglish_TheStartPassedWithASeatOpen_SaysItStartsOnceTheCommitteeIsComplete()
    {
        Culture("en");
        RenderProviders();
        var startsAt = new DateTimeOffset(2026, 12, 10, 9, 0, 0, TimeSpan.FromHours(8));

        var before = Render<EvaluationStartNotice>(p => p.Add(c => c.Start, new EvaluationStart(startsAt, CommitteeState.Drawing, false)).Add(c => c.Now, startsAt.AddMinutes(-1)));
        var late = Render<EvaluationStartNotice>(p => p.Add(c => c.Start, new EvaluationStart(startsAt, CommitteeState.Drawing, false)).Add(c => c.Now, startsAt.AddMinutes(10)));

        Assert.Equal("The evaluation starts at 2026-12-10 09:00.", before.Find("[data-testid=evaluation-start-scheduled]").TextContent.Trim());
        var text = late.Find("[data-testid=evaluation-start-waiting]").TextContent;
        Assert.Contains("2026-12-10 09:00 has passed", text, StringComparison.Ordinal);
        Assert.Contains("as soon as the committee is complete", text, StringComparison.Ordinal);
        Assert.Empty(late.FindAll("[data-testid=evaluation-start-scheduled]"));
    }

    private static IElement Input(IRenderedComponent<DrawRequestForm> form, string testId, int index) =>
        form.FindAll($"input[data-testid={testId}], [data-testid={testId}] input")[index];

    private static async Task<ExpertsActor> Actor(IServiceProvider services, string userName)
    {
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException(userName);
        return new ExpertsActor(userName, user.Id, [.. await users.GetRolesAsync(user)], user.CentreId);
    }
}
