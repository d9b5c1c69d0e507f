using System.IO.Compression;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Printing;
using Trading.Workflow.Domain.Tests.Printing;
using Trading.Workflow.Domain.Tests.Projects;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Archive;

/// <summary>资料归档 on a real SQLite file and a real PostgreSQL database: the package, its manifest, and read-only projects.</summary>
public sealed class ArchiveTests
{
    private static readonly DocumentActor Staff = new("staff", [PlatformRoles.Staff], null);

    private static async Task<byte[]> DownloadAsync(DocumentService documents, Guid documentId, DocumentActor actor)
    {
        await using var download = await documents.OpenDownloadAsync(documentId, actor);
        using var copy = new MemoryStream();
        await download.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static byte[] Rewrite(byte[] package, string path, Func<byte[], byte[]> change)
    {
        using var output = new MemoryStream();
        output.Write(package);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry(path)!;
            byte[] bytes;
            using (var read = entry.Open())
            using (var copy = new MemoryStream())
            {
                read.CopyTo(copy);
                bytes = copy.ToArray();
            }

            entry.Delete();
            using var write = zip.CreateEntry(path).Open();
            write.Write(change(bytes));
        }

        return output.ToArray();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Archive_PacksEveryDocumentRecordAndTheHistory_WithAManifestThatVerifies(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var services = host.Database.Services;
        var project = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.City), ProjectsHost.Input());
        var documents = services.GetRequiredService<DocumentService>();
        var issued = await services.GetRequiredService<IOfficialDocuments>().IssueAsync(OfficialDocumentsTests.Notice(project.Id, DocumentAudience.StaffOnly));
        var contractPdf = PdfComposer.Render(OfficialDocumentsTests.Notice(project.Id, DocumentAudience.StaffOnly) with { Title = "施工合同" },
            new PrintHeader(Guid.NewGuid(), DateTimeOffset.UtcNow, project.Code, project.Name, "/verify/x"));
        var contract = await documents.UploadAsync(new MemoryStream(contractPdf), "施工合同.pdf", new DocumentScope(host.City.Id, project.Id, null),
            new DocumentActor("tenderee", [PlatformRoles.Tenderee], host.City.Id));
        var archives = services.GetRequiredService<ArchiveService>();

        var archive = await archives.ArchiveAsync(project.Id, "staff");
        var again = await archives.ArchiveAsync(project.Id, "staff");
        var verification = await archives.VerifyStoredAsync(project.Id);

        Assert.Equal(archive.PackageDocumentId, again.PackageDocumentId);
        Assert.True(verification.IsIntact);
        var files = verification.Package.Manifest!.Files;
        Assert.Equal(archive.Entries, files.Count);
        Assert.Contains(files, f => f.Source == $"document:{contract.Id}" && f.Sm3 == contract.Sm3 && f.RegisteredSm3 == contract.Sm3);
        Assert.Contains(files, f => f.Source == $"official-document:{issued.Id}" && f.Sm3 == issued.Sm3 && f.Path.StartsWith("issued/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Path == "records/project.json");
        Assert.Contains(files, f => f.Path == "records/issued-documents.json");
        Assert.Contains(files, f => f.Path == "history/engine-history.json");
        Assert.Contains(files, f => f.Path == "history/trail.json");
        Assert.Equal(project.Id, verification.Package.Manifest.ProjectId);

        // Staff download it and check it themselves; a bidder may not download it.
        var package = await DownloadAsync(documents, archive.PackageDocumentId, Staff);
        Assert.True((await ArchiveManifest.VerifyAsync(new MemoryStream(package), archive.ManifestSm3)).IsIntact);
        Assert.False(await documents.MayDownloadAsync(new DocumentActor("bidder", [PlatformRoles.Bidder], null), (await documents.FindAsync(archive.PackageDocumentId))!));

        // A changed file shows; a manifest edited to match shows too.
        var contractPath = files.Single(f => f.Source == $"document:{contract.Id}").Path;
        var tampered = await ArchiveManifest.VerifyAsync(new MemoryStream(Rewrite(package, contractPath, b => [.. b, 0x20])), archive.ManifestSm3);
        Assert.False(tampered.IsIntact);
        Assert.Equal([contractPath], tampered.Mismatched);
        var manifestEdited = await ArchiveManifest.VerifyAsync(new MemoryStream(Rewrite(package, ArchiveManifest.ManifestPath, b => [.. b, 0x0a])), archive.ManifestSm3);
        Assert.False(manifestEdited.ManifestIntact);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Search_PagesACentresArchives_NewestFirst_ByCodeInAnyCase_AndNoOtherCentres(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var archives = host.Database.Services.GetRequiredService<ArchiveService>();
        var city = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var project = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.City), ProjectsHost.Input());
            await archives.ArchiveAsync(project.Id, "staff");
            city.Add(project.Code);
        }

        var county = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.County), ProjectsHost.Input());
        await archives.ArchiveAsync(county.Id, "staff");
        city.Reverse();

        var all = await archives.SearchAsync([host.City.Id], null, 0, 20);
        Assert.Equal(3, all.Total);
        Assert.Equal(city, all.Rows.Select(a => a.ProjectCode));
        var second = await archives.SearchAsync([host.City.Id], "  ", 1, 1);
        Assert.Equal(3, second.Total);
        Assert.Equal([city[1]], second.Rows.Select(a => a.ProjectCode));
        var byCode = await archives.SearchAsync([host.City.Id], " " + city[2].ToLowerInvariant() + " ", 0, 20);
        Assert.Equal([city[2]], byCode.Rows.Select(a => a.ProjectCode));
        Assert.Equal(0, (await archives.SearchAsync([host.City.Id], county.Code, 0, 20)).Total);
        Assert.Equal(0, (await archives.SearchAsync([host.OtherCity.Id], null, 0, 20)).Total);
        Assert.Equal(0, (await archives.SearchAsync([], null, 0, 20)).Total);
        Assert.Equal(4, (await archives.SearchAsync(null, null, 0, 20)).Total);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Archived_Project_RefusesUploadsEditsNoticesAndNewDocuments(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var services = host.Database.Services;
        var tenderee = ProjectsHost.Tenderee(host.City);
        var project = await host.Projects.RegisterAsync(tenderee, ProjectsHost.Input());
        var documents = services.GetRequiredService<DocumentService>();
        await services.GetRequiredService<ArchiveService>().ArchiveAsync(project.Id, "staff");
        var pdf = PdfComposer.Render(OfficialDocumentsTests.Notice(project.Id, DocumentAudience.StaffOnly),
            new PrintHeader(Guid.NewGuid(), DateTimeOffset.UtcNow, project.Code, project.Name, "/verify/x"));

        var upload = await Assert.ThrowsAsync<DomainRuleException>(() => documents.UploadAsync(
            new MemoryStream(pdf), "补充材料.pdf", new DocumentScope(host.City.Id, project.Id, null), new DocumentActor("tenderee", [PlatformRoles.Tenderee], host.City.Id)));
        var chunked = await Assert.ThrowsAsync<DomainRuleException>(() => documents.StartChunkedAsync(
            "补充材料.pdf", pdf.Length, new DocumentScope(host.City.Id, project.Id, null), new DocumentActor("tenderee", [PlatformRoles.Tenderee], host.City.Id)));
        var edit = await Assert.ThrowsAsync<DomainRuleException>(() => host.Projects.ReviseAsync(tenderee, project.Id, project.Revision, ProjectsHost.Input(name: "改名")));
        var issue = await Assert.ThrowsAsync<DomainRuleException>(() =>
            services.GetRequiredService<IOfficialDocuments>().IssueAsync(OfficialDocumentsTests.Notice(project.Id, DocumentAudience.StaffOnly)));

        Assert.All(new[] { upload, chunked, edit, issue }, e => Assert.Equal(ArchiveRules.ProjectArchived, e.RuleCode));
        Assert.True(await services.GetRequiredService<ArchiveGuard>().IsArchivedAsync(project.Id));

        // Another project is untouched.
        var other = await host.Projects.RegisterAsync(tenderee, ProjectsHost.Input());
        Assert.NotNull(await documents.UploadAsync(new MemoryStream(pdf), "补充材料.pdf", new DocumentScope(host.City.Id, other.Id, null),
            new DocumentActor("tenderee", [PlatformRoles.Tenderee], host.City.Id)));
    }
}
