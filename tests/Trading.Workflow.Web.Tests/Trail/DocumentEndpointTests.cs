using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Trading.Workflow.Web.Documents;
using Trading.Workflow.Web.Tests.Inbox;

namespace Trading.Workflow.Web.Tests.Trail;

/// <summary>The document endpoints on the real app: uploads whole and in resumable chunks, the verified download, its records.</summary>
public sealed class DocumentEndpointTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    private static byte[] Pdf(int size)
    {
        var bytes = new byte[size];
        RandomNumberGenerator.Fill(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    private static ByteArrayContent Body(byte[] bytes, int offset = 0, int? count = null)
    {
        var content = new ByteArrayContent(bytes, offset, count ?? bytes.Length - offset);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    [Fact]
    public async Task UploadWhole_ThenDownload_ServesTheSameBytesWithTheirHash_AndStaffSeeTheDownload()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var staff = await WorkflowApiClient.SignInAsync(factory.App, "staff");
        var bytes = Pdf(300_000);

        var created = await tenderee.Http.PostAsync("/api/documents?name=" + Uri.EscapeDataString("招标文件.pdf"), Body(bytes));
        var document = (await created.Content.ReadFromJsonAsync<DocumentResponse>(WorkflowApiClient.Json))!;
        var download = await staff.Http.GetAsync($"/documents/{document.Id}/content");
        var served = await download.Content.ReadAsByteArrayAsync();
        var records = await staff.Http.GetFromJsonAsync<List<DownloadRecordResponse>>($"/api/documents/{document.Id}/downloads", WorkflowApiClient.Json);
        var asTenderee = await tenderee.Http.GetAsync($"/api/documents/{document.Id}/downloads");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), document.Sha256);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, served);
        Assert.Equal(document.Sha256, download.Headers.GetValues("X-Content-SHA256").Single());
        Assert.Equal("招标文件.pdf", download.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal("staff", Assert.Single(records!).UserName);
        Assert.Equal(HttpStatusCode.Forbidden, asTenderee.StatusCode);
    }

    [Fact]
    public async Task ChunkedUpload_AStaleChunkGetsTheOffsetToResumeFrom_AndTheLastChunkRegistersTheDocument()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var settings = (await tenderee.Http.GetFromJsonAsync<UploadSettingsResponse>("/api/documents/settings", WorkflowApiClient.Json))!;
        var chunk = settings.ChunkBytes;
        var bytes = Pdf(3 * chunk + 100);
        var started = await tenderee.Http.PostAsJsonAsync("/api/documents/uploads", new StartChunkedUploadRequest("大文件.pdf", bytes.Length, null, null));
        var upload = (await started.Content.ReadFromJsonAsync<ChunkedUploadResponse>(WorkflowApiClient.Json))!;

        await tenderee.Http.PutAsync($"/api/documents/uploads/{upload.Id}?offset=0", Body(bytes, 0, chunk));
        var stale = await tenderee.Http.PutAsync($"/api/documents/uploads/{upload.Id}?offset=0", Body(bytes, 0, chunk));
        var resumeFrom = (await stale.Content.ReadFromJsonAsync<ChunkedUploadResponse>(WorkflowApiClient.Json))!.ReceivedBytes;
        ChunkedUploadResponse last = default!;
        for (var offset = resumeFrom; offset < bytes.Length; offset = last.ReceivedBytes)
        {
            var response = await tenderee.Http.PutAsync($"/api/documents/uploads/{upload.Id}?offset={offset}", Body(bytes, (int)offset, (int)Math.Min(chunk, bytes.Length - offset)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            last = (await response.Content.ReadFromJsonAsync<ChunkedUploadResponse>(WorkflowApiClient.Json))!;
        }

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(chunk, resumeFrom);
        Assert.NotNull(last.Document);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), last.Document.Sha256);
    }

    [Fact]
    public async Task Download_FileSwappedOnDisk_IsRefusedWithAConflict()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var staff = await WorkflowApiClient.SignInAsync(factory.App, "staff");
        var created = await tenderee.Http.PostAsync("/api/documents?name=a.pdf", Body(Pdf(5000)));
        var document = (await created.Content.ReadFromJsonAsync<DocumentResponse>(WorkflowApiClient.Json))!;
        var path = Path.Combine(factory.App.DataFolder, "files", document.Sha256[..2], document.Sha256[2..4], document.Sha256);
        await File.WriteAllBytesAsync(path, Pdf(5000));

        var refused = await staff.Http.GetAsync($"/documents/{document.Id}/content");
        var flagged = await staff.Http.GetFromJsonAsync<DocumentResponse>($"/api/documents/{document.Id}", WorkflowApiClient.Json);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("哈希", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(flagged!.Damaged);
    }
}
