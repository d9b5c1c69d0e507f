using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Projects;

/// <summary>
/// The agency's letter of authorisation is a registry document of its project: registered with the project under the
/// name it was uploaded with, or, for a letter stored before (its SHA-256 alone), on first need; a letter the store does
/// not hold is refused.
/// </summary>
public sealed class AgencyLetterTests
{
    private static ProjectActor AgentOf(ProjectsHost host) => ProjectsHost.Tenderee(host.City, "agent", ProjectsHost.Agency);

    private static ProjectInput WithLetter(string sha256, string? name = null) =>
        ProjectsHost.Input(ProjectsHost.Hospital) with { AgencyEntityId = ProjectsHost.Agency.EntityId, AgencyLetterSha256 = sha256, AgencyLetterName = name };

    private static async Task<List<Document>> DocumentsOfAsync(ProjectsHost host, Guid projectId)
    {
        await using var db = host.Database.Database.Create();
        return await db.Set<Document>().AsNoTracking().Where(d => d.ProjectId == projectId).ToListAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Register_WithALetter_MakesItADocumentOfTheProject_UnderItsUploadedName(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var sha256 = await host.StoreLetterAsync();

        var project = await host.Projects.RegisterAsync(AgentOf(host), WithLetter(sha256, "授权委托书.pdf"));

        var letter = Assert.Single(await DocumentsOfAsync(host, project.Id));
        Assert.Equal((sha256, "授权委托书.pdf", "agent", (Guid?)host.City.Id, FileKind.Pdf), (letter.Sha256, letter.Name, letter.UploadedBy, letter.CentreId, letter.Kind));
        Assert.Equal(letter.Id, (await host.Projects.AgencyLetterAsync(AgentOf(host), project.Id))!.Id);
        var owner = ProjectsHost.Tenderee(host.City, "hospital.user", ProjectsHost.Hospital);
        Assert.Equal(letter.Id, (await host.Projects.AgencyLetterAsync(owner, project.Id))!.Id);
    }

    [Fact]
    public async Task Register_WithALetterTheStoreDoesNotHold_IsRefused_AndNothingIsSaved()
    {
        await using var host = await ProjectsHost.StartAsync(DatabaseProvider.Sqlite);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Projects.RegisterAsync(AgentOf(host), WithLetter(new string('a', 64))));

        Assert.Equal(ProjectRules.AgencyLetterInvalid, refused.RuleCode);
        Assert.Equal(0, (await host.Projects.ListAsync(AgentOf(host), new ProjectFilter())).Total);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task LetterStoredBefore_ShaOnly_IsRegisteredOnFirstNeed_Once_AndOpens(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var project = await host.Projects.RegisterAsync(AgentOf(host), WithLetter(await host.StoreLetterAsync()));
        // As before letters were registry documents: the project keeps a SHA-256 of the file store and no document has it.
        var before = await host.StoreLetterAsync("早先上传的授权书");
        await using (var db = host.Database.Database.Create())
        {
            await db.Set<Project>().Where(p => p.Id == project.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.AgencyLetterSha256, before));
        }

        var letter = await host.Projects.AgencyLetterAsync(AgentOf(host), project.Id);
        var again = await host.Projects.AgencyLetterAsync(AgentOf(host), project.Id);

        Assert.NotNull(letter);
        Assert.Equal((before, project.Id, $"{project.Code}-授权书.pdf", "agent"), (letter.Sha256, letter.ProjectId, letter.Name, letter.UploadedBy));
        Assert.Equal(letter.Id, again!.Id);
        Assert.Single(await DocumentsOfAsync(host, project.Id), d => d.Sha256 == before);
        var documents = host.Database.Services.GetRequiredService<DocumentService>();
        await using var download = await documents.OpenDownloadAsync(letter.Id, new DocumentActor("agent", [Trading.Workflow.Domain.Accounts.PlatformRoles.Tenderee], host.City.Id));
        using var bytes = new MemoryStream();
        await download.CopyToAsync(bytes);
        Assert.Contains("早先上传的授权书", System.Text.Encoding.UTF8.GetString(bytes.ToArray()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task LetterStoredBefore_ShaOnly_ConcurrentFirstNeeds_RegisterItOnce(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var project = await host.Projects.RegisterAsync(AgentOf(host), WithLetter(await host.StoreLetterAsync()));
        var before = await host.StoreLetterAsync("并发首次查看的授权书");
        await using (var db = host.Database.Database.Create())
        {
            await db.Set<Project>().Where(p => p.Id == project.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.AgencyLetterSha256, before));
        }

        // Eight page views at once, each the first to need the letter.
        var letters = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => host.Projects.AgencyLetterAsync(AgentOf(host), project.Id))));

        var registered = Assert.Single(await DocumentsOfAsync(host, project.Id), d => d.Sha256 == before);
        Assert.All(letters, l => Assert.Equal(registered.Id, l!.Id));
    }

    [Fact]
    public async Task AgencyLetter_OfAProjectTheActorDoesNotRead_IsNotFound()
    {
        await using var host = await ProjectsHost.StartAsync(DatabaseProvider.Sqlite);
        var project = await host.Projects.RegisterAsync(AgentOf(host), WithLetter(await host.StoreLetterAsync()));

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Projects.AgencyLetterAsync(ProjectsHost.Tenderee(host.City, "school.user", ProjectsHost.School), project.Id));

        Assert.Equal(ProjectRules.NotFound, refused.RuleCode);
    }
}
