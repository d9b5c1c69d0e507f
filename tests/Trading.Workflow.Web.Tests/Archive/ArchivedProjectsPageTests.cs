using System.Globalization;
using System.Security.Claims;
using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Components.Pages.Archive;
using Trading.Workflow.Web.Deposits;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Deposits;

namespace Trading.Workflow.Web.Tests.Archive;

/// <summary>
/// /archive on a real SQLite database: a project archived while its deposit refund was with the bank, then paid by the
/// bank's callback, lists its supplement (补充归档) with when, why and the ledger it recorded, in Chinese and English.
/// </summary>
public sealed class ArchivedProjectsPageTests : PlatformComponentTest
{
    private const string Bank = "icbc";
    private const string Secret = "archive-page-secret-of-at-least-32-characters";
    private const string BidderName = "甲建设集团有限公司";
    private static readonly Guid Centre = Guid.NewGuid();
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-archive-page-").FullName;
    private readonly ServiceProvider _database;
    private readonly TestEntities _entities = new();
    private readonly AcceptingBank _bank = new();

    public ArchivedProjectsPageTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = DatabaseProvider.Sqlite;
            o.ConnectionString = $"Data Source={Path.Combine(_folder, "trading.db")};Pooling=False";
        });
        services.AddWorkflowEngine();
        services.AddTradingKernel();
        services.AddSingleton(new DocumentStorage(Path.Combine(_folder, "files")));
        services.Replace(ServiceDescriptor.Singleton<IBasicAccountLookup>(_entities));
        services.AddSingleton<IPlatformDirectory, OneCentre>();
        services.AddSingleton<IUserDirectory, OneCentre>();
        services.Configure<DepositOptions>(o => o.Banks[Bank] = new BankOptions { Secret = Secret });
        services.Replace(ServiceDescriptor.Singleton<IBankAdapter>(_bank));
        _database = services.BuildServiceProvider();
        _database.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync().GetAwaiter().GetResult();
        _database.GetRequiredService<TradingSchema>().UpgradeAsync().GetAwaiter().GetResult();

        Services.AddSingleton(_database.GetRequiredService<ArchiveService>());
        Services.AddSingleton(_database.GetRequiredService<ArchiveQueue>());
        Services.AddSingleton<IBasicAccountLookup>(_entities);
        Services.AddSingleton(_database.GetRequiredService<IProjectAuthorization>());
        Services.AddSingleton<IPlatformDirectory, OneCentre>();
        Services.AddScoped<DepositAccess>();
    }

    /// <summary>Takes every instruction and pays none: the payment comes by the bank's callback, as with a real bank.</summary>
    private sealed class AcceptingBank : IBankAdapter
    {
        public string Name => "test";

        public Task<BankInstructionReply> SendAsync(BankInstructionMessage instruction, CancellationToken cancellationToken) =>
            Task.FromResult(new BankInstructionReply(BankInstructionStatus.Accepted));

        public Task<BankInstructionReply> QueryAsync(Guid instructionId, CancellationToken cancellationToken) =>
            Task.FromResult(new BankInstructionReply(BankInstructionStatus.Accepted));
    }

    /// <summary>One centre, no accounts: the page asks only for the supervisor's region.</summary>
    private sealed class OneCentre : IPlatformDirectory, IUserDirectory
    {
        public Task<IReadOnlyList<Guid>> ParentsOfAsync(Guid centreId, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<Guid>>([]);

        public Task<IReadOnlyList<Guid>> WithDescendantsAsync(Guid centreId, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<Guid>>([centreId]);

        public Task<UserAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken = default) => Task.FromResult<UserAccount?>(null);

        public Task<IReadOnlyList<UserAccount>> FindByAccountIdsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([]);

        public Task<IReadOnlyList<UserAccount>> InRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([]);
    }

    private async Task CallbackAsync(byte[] body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var result = await _database.GetRequiredService<DepositService>().HandleCallbackAsync(Bank, timestamp.ToString(CultureInfo.InvariantCulture),
            BankCallbackSignature.Sign(Encoding.UTF8.GetBytes(Secret), timestamp, body), body, CancellationToken.None);
        Assert.Equal(CallbackOutcome.Recorded, result.Outcome);
    }

    /// <summary>A project archived while its one refund was with the bank, then paid by the bank's callback.</summary>
    private async Task<Project> ArchivedThenRefundPaidAsync()
    {
        var project = Project.Register(ProjectCode.Format("T-CITY", TradeTypes.EngineeringConstruction, 2026, 7), Centre, TradeTypes.EngineeringConstruction,
            new ProjectDetails(TradeMethods.OpenTender, "演示学校教学楼新建工程", new PartyRef(Guid.NewGuid(), "演示市第一中学"), null, null, true, "530102", "房屋建筑"),
            [new SectionDraft("一标段：主体结构", 5_000_000m)], "tenderee", DateTimeOffset.UtcNow);
        await using (var db = _database.GetRequiredService<ITradingDatabase>().Create())
        {
            db.Add(project);
            await db.SaveChangesAsync();
        }

        var section = project.Sections.Single();
        var deposits = _database.GetRequiredService<DepositService>();
        await deposits.ConfigureSectionAsync(new SectionTerms(section.Id, section.Code, section.Subject, project.Id, project.Code, project.Name, Centre,
            project.TradeType, 20_000m, DepositForms.Transfer, "演示市第一中学", new DateOnly(2027, 6, 30)), "staff", CancellationToken.None);
        var bidder = _entities.Add(BidderName, "6222000011112222");
        var account = await deposits.OpenAccountAsync(section.Id, bidder, BidderName, "bidder", CancellationToken.None);
        await CallbackAsync(BankCallbackBody.Deposit(new BankDeposit("T-1", 20_000m, BidderName, "6222000011112222", "中国工商银行", account.Number, DateTimeOffset.UtcNow)));
        var refund = await deposits.RefundAsync(section.Id, bidder, "staff", CancellationToken.None);
        await _database.GetRequiredService<ArchiveService>().ArchiveAsync(project.Id, "system:procedure");
        await CallbackAsync(BankCallbackBody.InstructionOutcome(refund.Id, paid: true, "ICBC-REFUND-1"));
        return project;
    }

    private void SignInSupervisor()
    {
        var authorization = SignIn("supervisor", PlatformRoles.Supervisor);
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, "supervisor"), new Claim(CentreClaimsPrincipalFactory.ClaimType, Centre.ToString()));
    }

    [Theory]
    [InlineData("zh-CN", "补充归档", "第 1 份补充归档", "保证金退还已由银行支付", "已退还")]
    [InlineData("en", "Supplements", "Supplement 1", "Deposit refund paid by the bank", "Refunded")]
    public async Task Archive_WithARefundPaidAfterIt_ShowsTheSupplement_WhenWhyAndTheLedger(string culture, string column, string title, string reason, string state)
    {
        Culture(culture);
        var project = await ArchivedThenRefundPaidAsync();
        SignInSupervisor();
        RenderProviders();

        var page = Render<ArchivedProjects>();
        page.WaitForElement("[data-testid=archive-supplements]", TimeSpan.FromSeconds(10));
        Assert.Contains(column, page.Find("[data-testid=archives]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=archive-supplements]").Click();

        var detail = page.Find("[data-testid=archive-supplement-detail]");
        Assert.Contains(project.Code, detail.TextContent, StringComparison.Ordinal);
        var supplement = page.Find("[data-testid=archive-supplement]").TextContent;
        Assert.Contains(title, supplement, StringComparison.Ordinal);
        Assert.Contains(reason, supplement, StringComparison.Ordinal);
        Assert.Contains("ICBC-REFUND-1", supplement, StringComparison.Ordinal);
        var row = page.Find("[data-testid=archive-supplement-ledger] tbody tr").TextContent;
        Assert.Contains(BidderName, row, StringComparison.Ordinal);
        Assert.Contains(state, row, StringComparison.Ordinal);
        Assert.Contains("¥20,000.00", row, StringComparison.Ordinal);
        var stored = Assert.Single(await _database.GetRequiredService<ArchiveService>().SupplementsAsync(project.Id));
        Assert.Contains(stored.ManifestSm3, supplement, StringComparison.Ordinal);
        Assert.Equal($"/documents/{stored.PackageDocumentId}/content", page.Find("[data-testid=archive-supplement-download]").GetAttribute("href"));

        // The check covers the supplement.
        page.Find("[data-testid=archive-verify]").Click();
        page.WaitForAssertion(() => Assert.Contains(culture == "en" ? "Intact" : "完整", page.Find("[data-testid=archive-verify-result]").TextContent, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Archive_List_FitsItsWidth_TheManifestSm3WrapsAndTheActionsStayInView()
    {
        await ArchivedThenRefundPaidAsync();
        SignInSupervisor();
        RenderProviders();

        var page = Render<ArchivedProjects>();
        page.WaitForElement("[data-testid=archive-manifest-sm3]", TimeSpan.FromSeconds(10));

        // A max-content table (MudDataGrid's HorizontalScrollbar) never wrapped the 64-character SM3, and at 1280 px
        // the actions column sat past the right edge.
        Assert.DoesNotContain("max-content", page.Find("[data-testid=archives] table").GetAttribute("style") ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("tw-hash", page.Find("[data-testid=archive-manifest-sm3]").ClassList);
        Assert.Contains("tw-row-actions", page.Find("[data-testid=archive-download]").ParentElement!.ClassList);
    }

    [Theory]
    [InlineData("zh-CN", "归档中的项目", "排队中")]
    [InlineData("en", "Projects being archived", "Queued")]
    public async Task Archive_WhoseJobHasNotRun_IsListedAsBeingArchived_NotAsArchived(string culture, string heading, string state)
    {
        Culture(culture);
        var project = Project.Register(ProjectCode.Format("T-CITY", TradeTypes.EngineeringConstruction, 2026, 8), Centre, TradeTypes.EngineeringConstruction,
            new ProjectDetails(TradeMethods.OpenTender, "演示医院门诊楼工程", new PartyRef(Guid.NewGuid(), "演示县人民医院"), null, null, true, "530102", "房屋建筑"),
            [new SectionDraft("一标段", 1_000_000m)], "tenderee", DateTimeOffset.UtcNow);
        await using (var db = _database.GetRequiredService<ITradingDatabase>().Create())
        {
            db.Add(project);
            await db.SaveChangesAsync();
        }

        // The procedure reached its archive step; no scheduler runs here, so the job waits.
        var engine = _database.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.Parse(ArchiveStepOnly));
        var instance = await engine.StartAsync(new StartInstanceRequest("test.archiveJob") { BusinessKey = project.Code });
        SignInSupervisor();
        RenderProviders();

        var page = Render<ArchivedProjects>();
        var row = page.WaitForElement("[data-testid=archive-pending-row]", TimeSpan.FromSeconds(10));
        Assert.Contains(heading, page.Find("[data-testid=archive-pending]").TextContent, StringComparison.Ordinal);
        Assert.Contains(project.Code, row.TextContent, StringComparison.Ordinal);
        Assert.Contains(state, row.TextContent, StringComparison.Ordinal);
        Assert.Equal("false", row.GetAttribute("data-failed"));
        Assert.Equal($"/instances/{instance.Id}", row.QuerySelector("a")!.GetAttribute("href"));
        Assert.DoesNotContain("archive-download", page.Markup, StringComparison.Ordinal);

        // Once the job ran the project leaves the panel for the list.
        Assert.Equal(1, await engine.ExecuteDueJobsAsync());
        var again = Render<ArchivedProjects>();
        again.WaitForElement("[data-testid=archive-download]", TimeSpan.FromSeconds(10));
        Assert.Empty(again.FindAll("[data-testid=archive-pending]"));
    }

    private const string ArchiveStepOnly = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="archive-job-test" targetNamespace="http://trading.workflow/test">
          <bpmn:process id="test.archiveJob" isExecutable="true">
            <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:serviceTask id="archiveProject" tw:handler="archive.archiveProject" tw:async="true"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
            <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="archiveProject" />
            <bpmn:sequenceFlow id="f2" sourceRef="archiveProject" targetRef="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    protected override void Dispose(bool disposing)
    {
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

        base.Dispose(disposing);
    }
}
