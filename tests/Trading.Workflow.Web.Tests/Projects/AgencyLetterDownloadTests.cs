using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Web.Projects;
using Trading.Workflow.Web.Tests.Inbox;

namespace Trading.Workflow.Web.Tests.Projects;

/// <summary>
/// The agency's letter of authorisation opens through the one verified download for the project's readers (the
/// agency's and the owner's users, staff of its centre) and for no bidder; a letter stored before (SHA-256 only) too.
/// </summary>
public sealed partial class AgencyLetterDownloadTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    private async Task<Project> DemoDraftAsync()
    {
        await using var db = factory.App.Services.GetRequiredService<ITradingDatabase>().Create();
        return await db.Set<Project>().AsNoTracking().SingleAsync(p => p.Name == ProjectsDemoData.DemoAgencyProjectName);
    }

    [Fact]
    public async Task DemoDraftsLetter_OpensForTheAgencyTheOwnersUserAndStaff_NotForABidder_AndTheDownloadsAreRecorded()
    {
        var draft = await DemoDraftAsync();
        Document letter;
        await using (var db = factory.App.Services.GetRequiredService<ITradingDatabase>().Create())
        {
            letter = await db.Set<Document>().AsNoTracking().SingleAsync(d => d.ProjectId == draft.Id && d.Sha256 == draft.AgencyLetterSha256);
        }

        var url = $"/documents/{letter.Id}/content";
        var agency = await (await WorkflowApiClient.SignInAsync(factory.App, "agency")).Http.GetAsync(url);
        var tenderee = await (await WorkflowApiClient.SignInAsync(factory.App, "tenderee")).Http.GetAsync(url);
        var staff = await WorkflowApiClient.SignInAsync(factory.App, "staff");
        var asStaff = await staff.Http.GetAsync(url);
        var bidder = await (await WorkflowApiClient.SignInAsync(factory.App, "bidder")).Http.GetAsync(url);
        var buyer = await (await WorkflowApiClient.SignInAsync(factory.App, "buyer")).Http.GetAsync(url);

        Assert.Equal("招标代理授权委托书（演示数据）.pdf", letter.Name);
        Assert.Equal(HttpStatusCode.OK, agency.StatusCode);
        Assert.Equal(draft.AgencyLetterSha256, agency.Headers.GetValues("X-Content-SHA256").Single());
        Assert.Equal("%PDF"u8.ToArray(), (await agency.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal(HttpStatusCode.OK, tenderee.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asStaff.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bidder.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, buyer.StatusCode);
        var downloads = await staff.Http.GetFromJsonAsync<List<Trading.Workflow.Web.Documents.DownloadRecordResponse>>($"/api/documents/{letter.Id}/downloads", WorkflowApiClient.Json);
        Assert.Contains(downloads!, d => d.UserName == "agency" && !d.Refused);
        Assert.Contains(downloads!, d => d.UserName == "tenderee" && !d.Refused);
        Assert.DoesNotContain(downloads!, d => d.UserName is "bidder" or "buyer");
    }

    [Fact]
    public async Task LetterStoredBefore_ShaOnly_OpensFromTheProjectPageForTheOwnersUser_NotForABidder()
    {
        var services = factory.App.Services;
        var draft = await DemoDraftAsync();
        var account = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("agency"))!;
        var actsFor = await services.GetRequiredService<IProjectParties>().ActingForAsync(account.AccountId);
        var actor = new ProjectActor("agency", [PlatformRoles.Tenderee], draft.CentreId, actsFor);
        var stored = await services.GetRequiredService<IFileStore>().SaveAsync(
            new MemoryStream(Encoding.UTF8.GetBytes("%PDF-1.4\n早先只存了哈希的授权书\n%%EOF\n")), "old.pdf", FilePolicy.Scans);
        Project project;
        using (var scope = services.CreateScope())
        {
            project = await scope.ServiceProvider.GetRequiredService<ProjectService>().RegisterAsync(actor, new ProjectInput(
                draft.TradeType, draft.Method, "早先登记的代理项目", draft.OwnerEntityId, draft.AgencyEntityId, (await services.GetRequiredService<IFileStore>()
                    .SaveAsync(new MemoryStream(Encoding.UTF8.GetBytes("%PDF-1.4\n授权书\n%%EOF\n")), "letter.pdf", FilePolicy.Scans)).Sha256,
                true, "530102", "房屋建筑工程", [new SectionEdit(null, new SectionDraft("施工", 1_000_000m))]));
        }

        // As before letters were registry documents: the project names a stored file no document of it has.
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            await db.Set<Project>().Where(p => p.Id == project.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.AgencyLetterSha256, stored.Sha256));
        }

        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var page = await tenderee.Http.GetStringAsync($"/projects/{project.Id}");
        var anchor = LetterAnchor().Match(page);
        Assert.True(anchor.Success, "the project page links the letter");
        var url = Href().Match(anchor.Value).Groups[1].Value;
        var asOwner = await tenderee.Http.GetAsync(url);
        var asBidder = await (await WorkflowApiClient.SignInAsync(factory.App, "bidder")).Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, asOwner.StatusCode);
        Assert.Equal(stored.Sha256, asOwner.Headers.GetValues("X-Content-SHA256").Single());
        Assert.Contains("早先只存了哈希的授权书", Encoding.UTF8.GetString(await asOwner.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, asBidder.StatusCode);
    }

    [GeneratedRegex("<a [^>]*data-testid=\"project-agency-letter-link\"[^>]*>")]
    private static partial Regex LetterAnchor();

    [GeneratedRegex("href=\"(/documents/[0-9a-f-]{36}/content)\"")]
    private static partial Regex Href();
}
