using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Components.Pages.Credit;
using Trading.Workflow.Web.Components.Pages.EngineeringConstruction.Award;
using Trading.Workflow.Web.Credit;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Warnings;

namespace Trading.Workflow.Web.Tests.Credit;

/// <summary>
/// The credit pages on a real SQLite database: the supervisor records a bar on an entity and revokes it (errors in the
/// user's language), the entity's records show to its own users and to nobody else, the published list shows what
/// the law publishes only (to anyone, revoked ones marked), and an award candidate with a sanction shows a notice.
/// </summary>
public sealed class CreditPagesTests : PlatformComponentTest
{
    private static readonly Guid Centre = Guid.NewGuid();
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-credit-pages-").FullName;
    private readonly ServiceProvider _database;

    public CreditPagesTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(TimeProvider.System);
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = DatabaseProvider.Sqlite;
            o.ConnectionString = $"Data Source={Path.Combine(_folder, "trading.db")};Pooling=False";
        });
        services.AddTradingKernel();
        services.AddSingleton(new DocumentStorage(Path.Combine(_folder, "files")));
        _database = services.BuildServiceProvider();
        _database.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync().GetAwaiter().GetResult();
        _database.GetRequiredService<TradingSchema>().UpgradeAsync().GetAwaiter().GetResult();
        using (var db = _database.GetRequiredService<ITradingDatabase>().Create())
        {
            db.Database.ExecuteSqlRaw("""CREATE TABLE "TradingCentres" ("Id" TEXT PRIMARY KEY, "Code" TEXT NOT NULL, "NameZh" TEXT NOT NULL, "NameEn" TEXT NOT NULL, "Level" INTEGER NOT NULL, "ParentId" TEXT NULL, "IsDemo" INTEGER NOT NULL)""");
            db.Database.ExecuteSqlRaw("""INSERT INTO "TradingCentres" VALUES ({0}, 'T-PROV', '测试省中心', 'Test province centre', 1, NULL, 0)""", Centre.ToString().ToUpperInvariant());
        }

        Services.AddSingleton(Credit);
        Services.AddSingleton(_database.GetRequiredService<MarketEntityService>());
        Services.AddSingleton(_database.GetRequiredService<WarningService>());
        Services.AddScoped<CreditAccess>();
        Services.AddScoped<WarningAccess>();
    }

    private CreditService Credit => _database.GetRequiredService<CreditService>();

    private static CreditViewer Supervisor => new("supervisor", "supervisor-id", [PlatformRoles.Supervisor], null);

    private async Task<MarketEntity> EntityAsync()
    {
        var market = _database.GetRequiredService<MarketEntityService>();
        const string first17 = "91350100M000100Y4";
        var code = first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
        var profile = EntityProfile.Create(EntityKind.Organisation, "测试建设集团有限公司", code, "张三", "福州市鼓楼区测试路1号", "350102",
            new BankAccount("测试银行", "测试建设集团有限公司", "6222 0000 1111 2222"), [], [new Contact("李四", "13800000000", null)], market.Today, "350102198001010003");
        var entity = await market.RegisterAsync(EntityKind.Organisation, profile, new MarketActor("member-id"));
        return await market.ApproveAsync(entity.Id, entity.Version, new MarketActor("staff", Centre));
    }

    private CreditRecordInput Bar(Guid entityId, string decision = "测监罚〔2026〕1号") =>
        new(CreditSubjectKind.MarketEntity, entityId, CreditRecordKind.Sanction, CreditCategory.CollusiveBidding, "条例第六十七条", decision,
            "内部调查记录：串通投标", Credit.Today, true, Credit.Today, Credit.Today.AddYears(1));

    private static AngleSharp.Dom.IElement Field(IRenderedComponent<CreditRecords> page, string id) =>
        page.Find($"input[data-testid={id}], textarea[data-testid={id}], [data-testid={id}] input, [data-testid={id}] textarea");

    private void SignInAs(string userName, string role, string? accountId = null)
    {
        var authorization = SignIn(userName, role);
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, accountId ?? userName + "-id"));
    }

    [Fact]
    public async Task Supervisor_RecordsABarOnAnEntity_ThenRevokesIt_AndABadPeriodIsSaidInChinese()
    {
        var entity = await EntityAsync();
        SignInAs("supervisor", PlatformRoles.Supervisor);
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/supervision/credit?entity={entity.Id}");

        var page = Render<CreditRecords>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=credit-none]")));
        var today = Credit.Today;
        Field(page, "form-decided-on").Change(CreditText.Day(today));
        Field(page, "form-basis").Change("条例第六十七条");
        Field(page, "form-decision").Change("测监罚〔2026〕1号");
        Field(page, "form-reason").Change("串通投标");
        Field(page, "form-bars").Change(true);
        Field(page, "form-bar-from").Change(CreditText.Day(today));
        Field(page, "form-bar-until").Change(CreditText.Day(today.AddDays(-1)));
        page.Find("[data-testid=form-save]").Click();
        page.WaitForAssertion(() => Assert.Equal("截止日期不能早于开始日期。", page.Find("[data-testid=form-error]").TextContent.Trim()));

        Field(page, "form-bar-until").Change(CreditText.Day(today.AddYears(1)));
        page.Find("[data-testid=form-save]").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=credit-row]")));
        var row = page.Find("[data-testid=credit-row]").TextContent;
        Assert.Contains("测试建设集团有限公司", row, StringComparison.Ordinal);
        Assert.Contains("串通投标", row, StringComparison.Ordinal);
        Assert.Contains($"{CreditText.Day(today)} 至 {CreditText.Day(today.AddYears(1))}", row, StringComparison.Ordinal);
        Assert.Equal(entity.Id, (await Credit.ListAsync(Supervisor)).Single().SubjectId);
        // Headers whole and text columns from a readable width (类/别, 操/作 went a character a line at 1280 px).
        Assert.Contains("tw-nowrap", page.Find("[data-testid=credit-table] thead tr").ClassList);
        Assert.All(page.Find("[data-testid=credit-row]").QuerySelectorAll("td").Take(7),
            td => Assert.True(td.ClassList.Contains("tw-credit-text") || td.ClassList.Contains("tw-nowrap"), td.OuterHtml));

        page.Find("[data-testid=revoke]").Click();
        Field(page, "revoke-reason").Input("复议撤销");
        page.Find("[data-testid=revoke-confirm]").Click();
        page.WaitForAssertion(() => Assert.Contains("复议撤销", page.Find("[data-testid=credit-revoked-by]").TextContent, StringComparison.Ordinal));
        Assert.True((await Credit.ListAsync(Supervisor)).Single().IsRevoked);

        // The export link carries the filters applied, not ones typed and not yet searched.
        Field(page, "filter-subject").Input("测试建设");
        Assert.Equal("/supervision/credit/export.xlsx", page.Find("[data-testid=credit-export]").GetAttribute("href"));
        page.Find("[data-testid=filter-apply]").Click();
        page.WaitForAssertion(() => Assert.Equal("/supervision/credit/export.xlsx?subject=" + Uri.EscapeDataString("测试建设"),
            page.Find("[data-testid=credit-export]").GetAttribute("href")));
    }

    [Fact]
    public async Task CreditPage_WithAWarningThatIsNotConfirmed_PrefillsNothing()
    {
        SignInAs("supervisor", PlatformRoles.Supervisor);
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/supervision/credit?warning={Guid.NewGuid()}");

        // An unknown (or unconfirmed) warning prefills nothing: the form is the plain one.
        await Task.CompletedTask;
        var page = Render<CreditRecords>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=credit-none]")));
        Assert.Empty(page.FindAll("[data-testid=credit-form-warning]"));
    }

    [Fact]
    public async Task EntityRecords_ShowToTheEntitysOwnUsers_AndToNobodyElse()
    {
        var entity = await EntityAsync();
        await Credit.RecordAsync(Supervisor, Bar(entity.Id));

        SignInAs("member", PlatformRoles.Bidder, "member-id");
        var own = Render<EntityCreditRecords>(p => p.Add(c => c.EntityId, entity.Id));
        own.WaitForAssertion(() => Assert.Single(own.FindAll("[data-testid=entity-credit-row]")));
        Assert.Contains("测监罚〔2026〕1号", own.Find("[data-testid=entity-credit-row]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntityRecords_ShowNothingToAnotherBidder()
    {
        var entity = await EntityAsync();
        await Credit.RecordAsync(Supervisor, Bar(entity.Id));

        SignInAs("other", PlatformRoles.Bidder, "other-id");
        var other = Render<EntityCreditRecords>(p => p.Add(c => c.EntityId, entity.Id));
        other.WaitForAssertion(() => Assert.Empty(other.FindAll("[data-testid=entity-credit]")));
    }

    [Theory]
    [InlineData("zh-CN", "串通投标", "已于")]
    [InlineData("en", "Collusive bidding", "Revoked on")]
    public async Task PublishedList_ShowsWhatTheLawPublishes_ToAnyone_WithRevokedOnesMarked(string culture, string category, string revoked)
    {
        var entity = await EntityAsync();
        await Credit.RecordAsync(Supervisor, Bar(entity.Id));
        var second = await Credit.RecordAsync(Supervisor, Bar(entity.Id, "测监罚〔2026〕2号"));
        await Credit.RevokeAsync(Supervisor, second.Id, second.Version, "内部撤销原因");
        Culture(culture);

        var page = Render<PublicSanctions>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=public-credit-row]").Count));
        var text = page.Find("[data-testid=public-credit-table]").TextContent;
        Assert.Contains("测试建设集团有限公司", text, StringComparison.Ordinal);
        Assert.Contains(entity.Identifier, text, StringComparison.Ordinal);
        Assert.Contains(category, text, StringComparison.Ordinal);
        Assert.Contains(culture == "en" ? "Test province centre" : "测试省中心", text, StringComparison.Ordinal);
        Assert.Contains(revoked, page.Find("[data-testid=public-credit-revoked]").TextContent, StringComparison.Ordinal);
        // No internal notes and no user names.
        Assert.DoesNotContain("内部", text, StringComparison.Ordinal);
        Assert.DoesNotContain("supervisor", text, StringComparison.Ordinal);
        // Headers and short values whole, names from a readable width: at 390 px they went a character a line (类/别).
        Assert.Contains("tw-nowrap", page.Find("[data-testid=public-credit-table] thead tr").ClassList);
        var cells = page.Find("[data-testid=public-credit-row]").QuerySelectorAll("td");
        Assert.Contains("tw-credit-text", cells[0].ClassList);
        Assert.Contains("tw-credit-text", cells[2].ClassList);
        Assert.Contains("tw-nowrap", cells[7].ClassList);
    }

    [Fact]
    public async Task AwardCandidate_WithASanctionInForce_ShowsTheCreditNotice_OthersNone()
    {
        var entity = await EntityAsync();
        await Credit.RecordAsync(Supervisor, Bar(entity.Id));
        var section = Guid.NewGuid();
        AwardCandidate[] candidates =
        [
            new(section, "S-01", 1, entity.Id, "测试建设集团有限公司", 1_000_000m, 95m, 365),
            new(section, "S-01", 2, Guid.NewGuid(), "另一家公司", 1_100_000m, 90m, 365),
        ];

        var notice = Render<CandidateCreditNotice>(p => p.Add(c => c.Candidates, candidates));

        notice.WaitForAssertion(() => Assert.Single(notice.FindAll("[data-testid=candidate-credit-warning]")));
        var text = notice.Find("[data-testid=candidate-credit-warning]").TextContent;
        Assert.Contains("测试建设集团有限公司", text, StringComparison.Ordinal);
        Assert.Contains("串通投标", text, StringComparison.Ordinal);
        Assert.Contains("测监罚〔2026〕1号", text, StringComparison.Ordinal);
        Assert.Contains(CreditText.Day(Credit.Today.AddYears(1)), text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN", "该主体因信用惩戒（处罚决定文号 测监罚〔2026〕1号）被限制参与交易，至 2027-12-01 止。")]
    [InlineData("en", "A sanction in force (decision 测监罚〔2026〕1号) bars this entity from taking part until 2027-12-01.")]
    public void EligibilityProblem_Barred_IsSaidWithTheDecisionAndTheLastDay(string culture, string expected)
    {
        Culture(culture);
        var text = Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<MarketResource>>();

        var message = Trading.Workflow.Web.Market.MarketText.Problem(text,
            new EligibilityProblem(MarketRules.Barred, "barred", BarredUntil: new DateOnly(2027, 12, 1), Decision: "测监罚〔2026〕1号"));

        Assert.Equal(expected, message);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _database.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // a file still open on a slow runner: the temp folder is cleaned by the OS
            }
        }
    }
}
