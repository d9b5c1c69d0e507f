using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Printing;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Tests.Projects;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Printing;

/// <summary>Issuing official PDFs on a real SQLite file and a real PostgreSQL database: stored, recorded, verifiable, readable by their audience only.</summary>
public sealed class OfficialDocumentsTests
{
    private const string Portal = "https://ggzy.example.gov.cn";

    private static Task<ProjectsHost> StartAsync(DatabaseProvider provider) =>
        ProjectsHost.StartAsync(provider, configure: services => services.Configure<PrintingOptions>(o => o.PortalBaseUrl = Portal));

    internal static OfficialDocumentSpec Notice(Guid projectId, DocumentAudience audience) =>
        new(projectId, OfficialDocumentKinds.ResultNotice, "中标结果通知书", "测试市公共资源交易中心",
            [new ParagraphBlock("贵单位参加的演示学校教学楼新建工程投标，经评标委员会评审，未被确定为中标人。感谢参与。")], audience)
        { Number = "结果〔2026〕第 3 号", IssuedBy = "system:procedure" };

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Issue_StoresThePdfWithItsSm3_AndTheVerifyPageComparesCopies(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var project = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.City), ProjectsHost.Input());
        var printing = host.Database.Services.GetRequiredService<OfficialDocuments>();
        var documents = host.Database.Services.GetRequiredService<DocumentService>();

        var issued = await printing.IssueAsync(Notice(project.Id, new DocumentAudience([], [], ["bidder-a"])));

        Assert.Equal($"/verify/{issued.Id}", issued.VerifyPath);
        Assert.EndsWith(".pdf", issued.FileName, StringComparison.Ordinal);
        Assert.Equal(issued, await printing.FindAsync(issued.Id));
        Assert.Equal(issued, Assert.Single(await printing.ListForProjectAsync(project.Id)));
        var stored = await documents.FindAsync(issued.DocumentId);
        Assert.Equal(issued.Sm3, stored!.Sm3);
        Assert.Equal(FileKind.Pdf, stored.Kind);
        Assert.Equal(project.Id, stored.ProjectId);
        Assert.Equal(host.City.Id, stored.CentreId);

        // The staff of the centre download it; the PDF hashes to the recorded SM3 and its QR leads to the portal's verify page.
        byte[] pdf;
        await using (var download = await documents.OpenDownloadAsync(issued.DocumentId, new DocumentActor("staff", [PlatformRoles.Staff], host.City.Id)))
        using (var copy = new MemoryStream())
        {
            await download.CopyToAsync(copy);
            pdf = copy.ToArray();
        }

        Assert.Equal(Portal + issued.VerifyPath, PdfReading.DecodeQr(pdf));
        Assert.Contains("中标结果通知书", PdfReading.Text(pdf));
        Assert.True((await printing.CompareAsync(issued.Id, new MemoryStream(pdf)))!.Matches);
        pdf[^20] ^= 0x01;
        var altered = await printing.CompareAsync(issued.Id, new MemoryStream(pdf));
        Assert.False(altered!.Matches);
        Assert.NotEqual(issued.Sm3, altered.FileSm3);
        Assert.Null(await printing.CompareAsync(Guid.NewGuid(), new MemoryStream(pdf)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Issue_ReadableByItsAudience_AndByNobodyElseOutsideTheCentre(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var project = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.City), ProjectsHost.Input());
        var printing = host.Database.Services.GetRequiredService<IOfficialDocuments>();
        var documents = host.Database.Services.GetRequiredService<DocumentService>();

        var named = await printing.IssueAsync(Notice(project.Id, new DocumentAudience([], [], ["bidder-a"])));
        var published = await printing.IssueAsync(Notice(project.Id, DocumentAudience.Everyone));
        var staffOnly = await printing.IssueAsync(Notice(project.Id, DocumentAudience.StaffOnly));

        var bidderA = new DocumentActor("bidder-a", [PlatformRoles.Bidder], null);
        var bidderB = new DocumentActor("bidder-b", [PlatformRoles.Bidder], null);
        var otherCentreStaff = new DocumentActor("staff2", [PlatformRoles.Staff], host.OtherCity.Id);
        var supervisor = new DocumentActor("supervisor", [PlatformRoles.Supervisor], null);
        async Task<bool> May(DocumentActor actor, IssuedDocument issued) => await documents.MayDownloadAsync(actor, (await documents.FindAsync(issued.DocumentId))!);

        Assert.True(await May(bidderA, named));
        Assert.False(await May(bidderB, named));
        Assert.True(await May(bidderB, published));
        Assert.False(await May(bidderA, staffOnly));
        Assert.False(await May(otherCentreStaff, staffOnly));
        Assert.True(await May(supervisor, staffOnly));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Issue_WithoutTitleKindOrBody_IsRefusedWithARuleCode(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var project = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.City), ProjectsHost.Input());
        var printing = host.Database.Services.GetRequiredService<IOfficialDocuments>();
        var spec = Notice(project.Id, DocumentAudience.StaffOnly);

        Assert.Equal(PrintingRules.TitleRequired, (await Assert.ThrowsAsync<DomainRuleException>(() => printing.IssueAsync(spec with { Title = " " }))).RuleCode);
        Assert.Equal(PrintingRules.KindInvalid, (await Assert.ThrowsAsync<DomainRuleException>(() => printing.IssueAsync(spec with { Kind = "Award Notice" }))).RuleCode);
        Assert.Equal(PrintingRules.EmptyDocument, (await Assert.ThrowsAsync<DomainRuleException>(() => printing.IssueAsync(spec with { Blocks = [] }))).RuleCode);
        Assert.Equal(PrintingRules.ProjectNotFound, (await Assert.ThrowsAsync<DomainRuleException>(() => printing.IssueAsync(spec with { ProjectId = Guid.NewGuid() }))).RuleCode);
    }
}
