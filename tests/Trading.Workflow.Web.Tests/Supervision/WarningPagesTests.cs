using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Components.Pages.Supervision;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Warnings;

namespace Trading.Workflow.Web.Tests.Supervision;

/// <summary>
/// The warning pages on a real SQLite database with one section whose two bidders paid their deposits from one
/// account (computed by the real service): the list on first load and its filters, the review form (note required,
/// in the user's language; the review saved and in the trail), staff read-only, and the count on the project page.
/// </summary>
public sealed class WarningPagesTests : PlatformComponentTest
{
    private static readonly Guid Centre = Guid.NewGuid();
    private static readonly Guid ProjectId = Guid.NewGuid();
    private static readonly Guid SectionId = Guid.NewGuid();
    private const string ProjectCode = "TEST-GC-2026-00042";
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-warning-pages-").FullName;
    private readonly ServiceProvider _database;

    public WarningPagesTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = DatabaseProvider.Sqlite;
            o.ConnectionString = $"Data Source={Path.Combine(_folder, "trading.db")};Pooling=False";
        });
        services.AddTradingKernel();
        services.AddSingleton(new Trading.Workflow.Domain.Documents.DocumentStorage(Path.Combine(_folder, "files")));
        _database = services.BuildServiceProvider();
        _database.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync().GetAwaiter().GetResult();
        _database.GetRequiredService<TradingSchema>().UpgradeAsync().GetAwaiter().GetResult();
        // The centres are the web app's table (its own schema); the list's centre filter reads them.
        using (var db = _database.GetRequiredService<ITradingDatabase>().Create())
        {
            db.Database.ExecuteSqlRaw("""CREATE TABLE "TradingCentres" ("Id" TEXT PRIMARY KEY, "Code" TEXT NOT NULL, "NameZh" TEXT NOT NULL, "NameEn" TEXT NOT NULL, "Level" INTEGER NOT NULL, "ParentId" TEXT NULL, "IsDemo" INTEGER NOT NULL)""");
            db.Database.ExecuteSqlRaw("""INSERT INTO "TradingCentres" VALUES ({0}, 'T-CITY', '测试市中心', 'Test city centre', 2, NULL, 0)""", Centre.ToString().ToUpperInvariant());
        }

        Services.AddSingleton(_database.GetRequiredService<WarningService>());
        Services.AddScoped<WarningAccess>();
        Services.AddSingleton(_database.GetRequiredService<Trading.Workflow.Domain.Credit.CreditService>());
        Services.AddSingleton(_database.GetRequiredService<Trading.Workflow.Domain.Market.MarketEntityService>());
        Services.AddScoped<Trading.Workflow.Web.Credit.CreditAccess>();
    }

    private WarningService Warnings => _database.GetRequiredService<WarningService>();

    private static WarningViewer Supervisor => new("supervisor", [PlatformRoles.Supervisor], null);

    /// <summary>A project in the test centre with one section, two bidders paying from one account and a third from its own.</summary>
    private async Task SeedAsync()
    {
        await using var db = _database.GetRequiredService<ITradingDatabase>().Create();
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "tr_projects" ("id", "code", "centre_id", "trade_type", "method", "name", "owner_entity_id", "owner_name", "state_funded",
                "estimated_price", "region_code", "industry", "state", "registered_by", "registered_at", "updated_at", "revision")
            VALUES ({0}, {1}, {2}, 'engineering-construction', 'open-tender', '测试学校教学楼工程', {3}, '测试学校', 1, '1000000', '350102', '房屋建筑', 1,
                'tenderee', '2026-12-01 00:00:00+00:00', '2026-12-01 00:00:00+00:00', 1);
            """, ProjectId.ToString().ToUpperInvariant(), ProjectCode, Centre.ToString().ToUpperInvariant(), Guid.NewGuid().ToString().ToUpperInvariant());
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "tr_sections" ("id", "project_id", "number", "code", "subject", "estimated_price", "deposit_amount", "deposit_forms")
            VALUES ({0}, {1}, 1, {2}, '施工', '1000000', '20000', 1);
            """, SectionId.ToString().ToUpperInvariant(), ProjectId.ToString().ToUpperInvariant(), ProjectCode + "-01");
        var now = DateTimeOffset.UtcNow;
        foreach (var (name, account) in new[] { ("甲建设集团有限公司", "6222000011112222"), ("乙工程有限公司", "6222000011112222"), ("丙路桥有限公司", "6217000099998888") })
        {
            now = now.AddMinutes(1);
            var entityId = Guid.NewGuid();
            db.Add(new Participation(Guid.NewGuid(), SectionId, ProjectId, entityId, name, ParticipationOrigin.DocumentsDownloaded, now, "bidder"));
            var payment = BankPayment.Record("icbc", new BankDeposit("T-" + Guid.NewGuid().ToString("N")[..8], 20_000m, "张某", account, "测试银行", null, now), now);
            payment.MatchTo(SectionId, entityId, flagged: true, "bank", now);
            db.Add(payment);
        }

        await db.SaveChangesAsync();
        await Warnings.RecomputeAsync(Supervisor, SectionId);
    }

    private void SignInAs(string userName, string role, Guid? centre = null)
    {
        var authorization = SignIn(userName, role);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, userName) };
        if (centre is { } id)
        {
            claims.Add(new Claim(CentreClaimsPrincipalFactory.ClaimType, id.ToString()));
        }

        authorization.SetClaims([.. claims]);
    }

    [Fact]
    public async Task List_ShowsTheWarningWithItsProjectKindBiddersAndEvidence_OnFirstLoad()
    {
        await SeedAsync();
        SignInAs("supervisor", PlatformRoles.Supervisor);
        RenderProviders();

        var page = Render<WarningList>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=warnings-table] tbody tr")));
        var row = page.Find("[data-testid=warnings-table] tbody tr").TextContent;
        Assert.Contains(ProjectCode, row, StringComparison.Ordinal);
        // The section by its number beside its project; the whole code on hover.
        var section = page.Find("[data-testid=warning-section] span");
        Assert.Equal(("01", ProjectCode + "-01"), (section.TextContent.Trim(), section.GetAttribute("title")));
        Assert.Contains("保证金从同一账户缴纳", row, StringComparison.Ordinal);
        Assert.Equal("甲建设集团有限公司、乙工程有限公司", page.Find("[data-testid=warning-bidders]").TextContent.Trim());
        Assert.Contains("付款账号：6222000011112222", page.Find("[data-testid=warning-evidence]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Open", page.Find("[data-testid=warning-state]").GetAttribute("data-state"));
        Assert.Empty(page.FindAll("[data-testid=warnings-readonly]"));
    }

    [Fact]
    public async Task List_FilteredByAnotherProjectCode_ShowsNone_AndByTheAddressesStateOnlyThatState()
    {
        await SeedAsync();
        SignInAs("supervisor", PlatformRoles.Supervisor);
        RenderProviders();

        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/supervision/warnings?state={nameof(WarningState.Dismissed)}");
        var page = Render<WarningList>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=warnings-none]")));

        navigation.NavigateTo($"/supervision/warnings?project={ProjectCode}");
        var byCode = Render<WarningList>();
        byCode.WaitForAssertion(() => Assert.Single(byCode.FindAll("[data-testid=warnings-table] tbody tr")));
        byCode.Find("input[data-testid=filter-project], [data-testid=filter-project] input").Input("NO-SUCH-PROJECT");
        await byCode.Find("[data-testid=filter-apply]").ClickAsync(new());
        byCode.WaitForAssertion(() => Assert.NotEmpty(byCode.FindAll("[data-testid=warnings-none]")));
    }

    /// <summary>Warnings as a computation stores them (its own factory), one a minute from <paramref name="first"/>.</summary>
    private async Task<List<CollusionWarning>> StoreManyAsync(int count, DateTimeOffset first, Func<int, (string Code, string Name, WarningKind Kind)> of)
    {
        var found = typeof(CollusionWarning).GetMethod("Found", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var warnings = new List<CollusionWarning>();
        for (var i = 0; i < count; i++)
        {
            var (code, name, kind) = of(i);
            var section = new WarningSection(Guid.NewGuid(), Guid.NewGuid(), Centre, code, name, code + "-01");
            var evidence = new WarningEvidence($"13800{i:D6}", null, [new WarningLine(Guid.NewGuid(), $"甲{i}公司", "x"), new WarningLine(Guid.NewGuid(), $"乙{i}公司", "x")]);
            warnings.Add((CollusionWarning)found.Invoke(null, [section, kind, evidence, first.AddMinutes(i)])!);
        }

        await using var db = _database.GetRequiredService<ITradingDatabase>().Create();
        db.AddRange(warnings);
        await db.SaveChangesAsync();
        return warnings;
    }

    private static string[] Codes(IRenderedComponent<WarningList> page) =>
        [.. page.FindAll("[data-testid=warning-project] .mud-typography-caption").Select(e => e.TextContent.Trim())];

    [Fact]
    public async Task List_ShowsTwentyRowsNewestFirst_AndThePagerPutsThePageInTheAddress_WhichShowsTheRest()
    {
        var warnings = await StoreManyAsync(25, new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero), i => ($"TEST-P-{i:D2}", $"测试项目{i}", WarningKind.SameContactPhone));
        var newestFirst = warnings.OrderByDescending(w => w.FirstComputedAt).Select(w => w.ProjectCode).ToArray();
        SignInAs("supervisor", PlatformRoles.Supervisor);
        RenderProviders();
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/supervision/warnings");

        var page = Render<WarningList>();

        page.WaitForAssertion(() => Assert.Equal(newestFirst[..20], Codes(page)));
        var table = page.FindComponent<MudBlazor.MudTable<CollusionWarning>>();
        await page.InvokeAsync(() => table.Instance.NavigateTo(MudBlazor.Page.Next));
        page.WaitForAssertion(() => Assert.Equal(newestFirst[20..], Codes(page)));
        Assert.Equal("2", System.Web.HttpUtility.ParseQueryString(new Uri(navigation.Uri).Query)["page"]);

        // The address alone (a reload, a link) shows the same page.
        var reloaded = Render<WarningList>();
        reloaded.WaitForAssertion(() => Assert.Equal(newestFirst[20..], Codes(reloaded)));
    }

    [Fact]
    public async Task List_FiltersGoIntoTheAddress_AndTheAddressDrivesTheQuery()
    {
        await StoreManyAsync(6, new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero),
            i => ($"TEST-Q-{i:D2}", i % 2 == 0 ? $"第{i}中学" : $"第{i}医院", i < 3 ? WarningKind.SameContactPhone : WarningKind.SameLegalRepresentative));
        SignInAs("supervisor", PlatformRoles.Supervisor);
        RenderProviders();
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/supervision/warnings");
        var page = Render<WarningList>();
        page.WaitForAssertion(() => Assert.Equal(6, Codes(page).Length));

        page.Find("input[data-testid=filter-project], [data-testid=filter-project] input").Input("中学");
        await page.Find("[data-testid=filter-apply]").ClickAsync(new());

        var query = System.Web.HttpUtility.ParseQueryString(new Uri(navigation.Uri).Query);
        Assert.Equal("中学", query["project"]);
        Assert.Null(query["page"]);
        page.WaitForAssertion(() => Assert.Equal(["TEST-Q-04", "TEST-Q-02", "TEST-Q-00"], Codes(page)));

        navigation.NavigateTo($"/supervision/warnings?project={Uri.EscapeDataString("中学")}&kind={nameof(WarningKind.SameLegalRepresentative)}&state={nameof(WarningState.Open)}&from=2026-12-01&to=2026-12-01");
        var linked = Render<WarningList>();
        linked.WaitForAssertion(() => Assert.Equal(["TEST-Q-04"], Codes(linked)));
        Assert.Equal("中学", linked.Find("input[data-testid=filter-project], [data-testid=filter-project] input").GetAttribute("value"));

        navigation.NavigateTo("/supervision/warnings?from=2026-12-02");
        var later = Render<WarningList>();
        later.WaitForAssertion(() => Assert.NotEmpty(later.FindAll("[data-testid=warnings-none]")));
    }

    [Fact]
    public async Task List_InEnglish_NamesTheKindInEnglish()
    {
        await SeedAsync();
        Culture("en");
        SignInAs("supervisor", PlatformRoles.Supervisor);
        RenderProviders();

        var page = Render<WarningList>();

        page.WaitForAssertion(() => Assert.Contains("Deposits paid from one account", page.Find("[data-testid=warning-kind]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_ForStaffOfAnotherCentre_ShowsNothing()
    {
        await SeedAsync();
        SignInAs("staff2", PlatformRoles.Staff, Guid.NewGuid());
        RenderProviders();

        var other = Render<WarningList>();

        other.WaitForAssertion(() => Assert.NotEmpty(other.FindAll("[data-testid=warnings-none]")));
        Assert.DoesNotContain(ProjectCode, other.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ForStaffWithoutACentre_ShowsNothing()
    {
        await SeedAsync();
        SignInAs("staff-nowhere", PlatformRoles.Staff);
        RenderProviders();

        var page = Render<WarningList>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=warnings-none]")));
        Assert.DoesNotContain(ProjectCode, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ForTheCentresStaff_IsReadOnly()
    {
        await SeedAsync();
        SignInAs("staff", PlatformRoles.Staff, Centre);
        RenderProviders();

        var own = Render<WarningList>();

        own.WaitForAssertion(() => Assert.Single(own.FindAll("[data-testid=warnings-table] tbody tr")));
        Assert.NotEmpty(own.FindAll("[data-testid=warnings-readonly]"));
    }

    [Fact]
    public async Task Review_WithoutANote_SaysSoInChinese_AndSavesNothing()
    {
        await SeedAsync();
        var warning = Assert.Single(await Warnings.ListAsync(Supervisor));
        SignInAs("supervisor", PlatformRoles.Supervisor);
        RenderProviders();

        var page = Render<WarningDetail>(p => p.Add(c => c.WarningId, warning.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=review-confirm]")));
        await page.Find("[data-testid=review-confirm]").ClickAsync(new());

        Assert.Equal("请填写审核意见：确认或排除都需要说明理由。", page.Find("[data-testid=review-error]").TextContent.Trim());
        // The value beside its term, not the term again ("付款账号 付款账号：…").
        Assert.Equal("6222000011112222", page.Find("[data-testid=warning-value]").TextContent.Trim());
        Assert.Equal(WarningState.Open, (await Warnings.GetAsync(Supervisor, warning.Id))!.State);
    }

    [Fact]
    public async Task Review_WithoutANote_InEnglish_SaysSoInEnglish()
    {
        await SeedAsync();
        var warning = Assert.Single(await Warnings.ListAsync(Supervisor));
        Culture("en");
        SignInAs("supervisor", PlatformRoles.Supervisor);
        RenderProviders();

        var page = Render<WarningDetail>(p => p.Add(c => c.WarningId, warning.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=review-dismiss]")));
        await page.Find("[data-testid=review-dismiss]").ClickAsync(new());

        Assert.Equal("Write a review note: confirming or dismissing needs a reason.", page.Find("[data-testid=review-error]").TextContent.Trim());
    }

    [Fact]
    public async Task Review_WithANote_ConfirmsTheWarning_ShowsTheReview_AndRecordsItInTheTrail()
    {
        await SeedAsync();
        var warning = Assert.Single(await Warnings.ListAsync(Supervisor));
        SignInAs("supervisor", PlatformRoles.Supervisor);
        RenderProviders();

        var page = Render<WarningDetail>(p => p.Add(c => c.WarningId, warning.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=review-note]")));
        Assert.Equal(2, page.FindAll("[data-testid=evidence-line]").Count);
        page.Find("textarea[data-testid=review-note], [data-testid=review-note] textarea").Input("两家保证金由同一人代缴，移交调查。");
        await page.Find("[data-testid=review-confirm]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=warning-review]")));
        Assert.Contains("两家保证金由同一人代缴，移交调查。", page.Find("[data-testid=warning-review]").TextContent, StringComparison.Ordinal);
        // The saved review labels its note plainly: "（必填）" belongs to the form, not to a note already given.
        Assert.Contains("审核意见", page.Find("[data-testid=warning-review]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("必填", page.Find("[data-testid=warning-review]").TextContent, StringComparison.Ordinal);
        Assert.Equal((WarningState.Confirmed, "supervisor"), ((await Warnings.GetAsync(Supervisor, warning.Id))!.State, (await Warnings.GetAsync(Supervisor, warning.Id))!.ReviewedBy));
        await using var db = _database.GetRequiredService<ITradingDatabase>().Create();
        Assert.Single(await db.Set<AuditEntry>().Where(e => e.Action == "warnings.warning.confirmed" && e.SubjectId == warning.Id.ToString()).ToListAsync());
    }

    [Fact]
    public async Task AConfirmedWarning_OffersTheSupervisorASanction_PrefilledWithItsBidders()
    {
        await SeedAsync();
        var warning = Assert.Single(await Warnings.ListAsync(Supervisor));
        SignInAs("supervisor", PlatformRoles.Supervisor);
        RenderProviders();

        var open = Render<WarningDetail>(p => p.Add(c => c.WarningId, warning.Id));
        open.WaitForAssertion(() => Assert.NotEmpty(open.FindAll("[data-testid=review-note]")));
        Assert.Empty(open.FindAll("[data-testid=warning-record-sanction]"));
        await Warnings.ReviewAsync(Supervisor, warning.Id, warning.Version, confirm: true, "移交调查");

        var confirmed = Render<WarningDetail>(p => p.Add(c => c.WarningId, warning.Id));
        confirmed.WaitForAssertion(() => Assert.NotEmpty(confirmed.FindAll("[data-testid=warning-record-sanction]")));
        Assert.Equal($"/supervision/credit?warning={warning.Id}", confirmed.Find("[data-testid=warning-record-sanction]").GetAttribute("href"));

        Services.GetRequiredService<NavigationManager>().NavigateTo($"/supervision/credit?warning={warning.Id}");
        var form = Render<Trading.Workflow.Web.Components.Pages.Credit.CreditRecords>();
        form.WaitForAssertion(() => Assert.Contains(ProjectCode, form.Find("[data-testid=credit-form-warning]").TextContent, StringComparison.Ordinal));
        // The selects show their values in their inputs: the first bidder, and the category 串通投标.
        Assert.Contains("甲建设集团有限公司", form.Find("[data-testid=credit-form]").InnerHtml, StringComparison.Ordinal);
        Assert.Contains("串通投标", form.Find("[data-testid=credit-form]").InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_ForTheCentresStaff_ShowsTheEvidenceWithoutTheReviewForm()
    {
        await SeedAsync();
        var warning = Assert.Single(await Warnings.ListAsync(Supervisor));
        SignInAs("staff", PlatformRoles.Staff, Centre);
        RenderProviders();

        var page = Render<WarningDetail>(p => p.Add(c => c.WarningId, warning.Id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=review-supervisors-only]")));
        Assert.Equal(2, page.FindAll("[data-testid=evidence-line]").Count);
        Assert.Empty(page.FindAll("[data-testid=review-note]"));
        Assert.Empty(page.FindAll("[data-testid=recompute]"));
    }

    [Fact]
    public async Task Detail_ForStaffOfAnotherCentre_IsNotFound()
    {
        await SeedAsync();
        var warning = Assert.Single(await Warnings.ListAsync(Supervisor));
        SignInAs("staff2", PlatformRoles.Staff, Guid.NewGuid());
        RenderProviders();

        var page = Render<WarningDetail>(p => p.Add(c => c.WarningId, warning.Id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=warning-not-found]")));
        Assert.DoesNotContain("6222000011112222", page.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PlatformRoles.Supervisor, true)]
    [InlineData(PlatformRoles.Staff, true)]
    [InlineData(PlatformRoles.Bidder, false)]
    [InlineData(PlatformRoles.Tenderee, false)]
    [InlineData(PlatformRoles.Expert, false)]
    public async Task Count_OnTheProjectPage_IsShownToSupervisorsAndTheCentresStaffOnly(string role, bool shown)
    {
        await SeedAsync();
        SignInAs("someone", role, role == PlatformRoles.Supervisor ? null : Centre);
        RenderProviders();

        var count = Render<WarningCount>(p => p.Add(c => c.ProjectId, ProjectId).Add(c => c.ProjectCode, ProjectCode).Add(c => c.SectionIds, [SectionId]));

        if (shown)
        {
            count.WaitForAssertion(() => Assert.Equal("1", count.Find("[data-testid=warning-count]").GetAttribute("data-count")));
            Assert.Equal($"/supervision/warnings?project={ProjectCode}&state=Open", count.Find("[data-testid=warning-count-link]").GetAttribute("href"));
            Assert.Equal(role == PlatformRoles.Supervisor, count.FindAll("[data-testid=warning-recompute]").Count == 1);
        }
        else
        {
            await Task.Delay(200);
            Assert.Empty(count.FindAll("[data-testid=warning-count]"));
            Assert.DoesNotContain("预警", count.Markup, StringComparison.Ordinal);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _database.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
