using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Printing;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Components.Pages.Printing;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Printing;

/// <summary>The public verify page a printed document's QR code leads to, on a real SQLite database: anyone sees the record and compares a copy.</summary>
public sealed class VerifyDocumentPageTests : PlatformComponentTest
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-verify-").FullName;
    private readonly ServiceProvider _database;

    public VerifyDocumentPageTests()
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
        services.AddSingleton(new DocumentStorage(Path.Combine(_folder, "files")));
        services.Configure<PrintingOptions>(o => o.PortalBaseUrl = "https://ggzy.example.gov.cn");
        _database = services.BuildServiceProvider();
        _database.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync().GetAwaiter().GetResult();
        _database.GetRequiredService<TradingSchema>().UpgradeAsync().GetAwaiter().GetResult();
        Services.AddSingleton(_database.GetRequiredService<OfficialDocuments>());
        Services.AddSingleton(_database.GetRequiredService<IOptions<PrintingOptions>>());
    }

    private async Task<(IssuedDocument Issued, byte[] Pdf)> IssueAsync()
    {
        var centre = Guid.NewGuid();
        var project = Project.Register(ProjectCode.Format("530102", TradeTypes.EngineeringConstruction, 2026, 7), centre, TradeTypes.EngineeringConstruction,
            new ProjectDetails(TradeMethods.OpenTender, "演示学校教学楼新建工程", new PartyRef(Guid.NewGuid(), "演示市第一中学"), null, null, true, "530102", "房屋建筑"),
            [new SectionDraft("一标段", 5_000_000m)], "tenderee", DateTimeOffset.UtcNow);
        await using (var db = _database.GetRequiredService<ITradingDatabase>().Create())
        {
            db.Add(project);
            await db.SaveChangesAsync();
        }

        var printing = _database.GetRequiredService<OfficialDocuments>();
        var issued = await printing.IssueAsync(new OfficialDocumentSpec(project.Id, OfficialDocumentKinds.AwardNotice, "中标通知书", "测试市公共资源交易中心",
            [new ParagraphBlock("经评标委员会评审，确定贵单位为中标人。")], DocumentAudience.StaffOnly));
        var documents = _database.GetRequiredService<DocumentService>();
        await using var download = await documents.OpenDownloadAsync(issued.DocumentId, new DocumentActor("supervisor", [Domain.Accounts.PlatformRoles.Supervisor], null));
        using var copy = new MemoryStream();
        await download.CopyToAsync(copy);
        return (issued, copy.ToArray());
    }

    [Fact]
    public async Task Anyone_SeesTheRecordedSm3_AndACopyThatMatches()
    {
        var (issued, pdf) = await IssueAsync();
        RenderProviders();

        var page = Render<VerifyDocument>(p => p.Add(x => x.Id, issued.Id));

        page.WaitForAssertion(() => Assert.Equal(issued.Sm3, page.Find("[data-testid=verify-sm3]").TextContent));
        Assert.Equal("中标通知书", page.Find("[data-testid=verify-title]").TextContent);
        Assert.Equal("中标通知书", page.Find("[data-testid=verify-kind]").TextContent);
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(pdf, "中标通知书.pdf", contentType: "application/pdf"));
        page.WaitForAssertion(() => Assert.Contains("一致", page.Find("[data-testid=verify-result]").TextContent, StringComparison.Ordinal));
        Assert.Equal(issued.Sm3, page.Find("[data-testid=verify-file-sm3]").TextContent);
    }

    [Fact]
    public async Task AChangedCopy_IsShownNotToMatch()
    {
        var (issued, pdf) = await IssueAsync();
        pdf[^30] ^= 0x01;
        RenderProviders();

        var page = Render<VerifyDocument>(p => p.Add(x => x.Id, issued.Id));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=verify-sm3]")));
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(pdf, "中标通知书.pdf", contentType: "application/pdf"));
        page.WaitForAssertion(() => Assert.Contains("不一致", page.Find("[data-testid=verify-result]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownNumber_IsShownAsNotFound()
    {
        var page = Render<VerifyDocument>(p => p.Add(x => x.Id, Guid.NewGuid()));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=verify-not-found]")));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _database.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // a file still open: the OS cleans its temporary folder
            }
        }
    }
}
