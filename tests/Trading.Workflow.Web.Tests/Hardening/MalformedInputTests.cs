using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Trading.Workflow.Web.Tests.Inbox;

namespace Trading.Workflow.Web.Tests.Hardening;

/// <summary>
/// Issue 16 §3–4 through the real host: oversized, missing, out-of-range and unreadable input is answered 400 (or 413)
/// with the field and a message in the caller's language; never a 500, never stored.
/// </summary>
public sealed class MalformedInputTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    private const string Process = "engineering-construction.open-tender";

    private static string NewCode() => "GC-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    private static async Task<JsonElement> ErrorsOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");

    [Fact]
    public async Task StartInstance_WithoutProjectCode_Is400NamingTheField()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");

        var response = await tenderee.Http.PostAsJsonAsync("/api/workflow/instances", new { processId = Process, projectName = "演示" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsOf(response);
        Assert.Equal("此项必填。", errors.GetProperty("projectCode")[0].GetString());
    }

    [Fact]
    public async Task StartInstance_WithOverlongProjectName_Is400AndStartsNothing()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var code = NewCode();

        var response = await tenderee.Http.PostAsJsonAsync("/api/workflow/instances", new { processId = Process, projectCode = code, projectName = new string('名', 5000) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("最多 4000 个字符", (await ErrorsOf(response)).GetProperty("projectName")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty((await tenderee.InboxAsync($"tab=Group&projectCode={code}")).Rows);
    }

    [Fact]
    public async Task StartInstance_WithTwentyMillionCharacterName_Is413BeforeReadingIt()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var body = $$"""{"processId":"{{Process}}","projectCode":"{{NewCode()}}","projectName":"{{new string('a', 20_000_000)}}"}""";

        var response = await tenderee.Http.PostAsync("/api/workflow/instances", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("请求内容过大，超过了该操作允许的大小。", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Complete_WithNumberBeyondDecimalRange_Is400NamingTheField()
    {
        var (tenderee, taskId) = await ClaimedAnnouncementAsync();
        var document = await tenderee.UploadAsync(taskId, "tenderDocuments");
        var json = JsonSerializer.Serialize(new { variables = WorkflowApiClient.ValidAnnouncement(document) })
            .Replace("\"estimatedPrice\":12500000.00", "\"estimatedPrice\":1e30", StringComparison.Ordinal);
        Assert.Contains("1e30", json, StringComparison.Ordinal);

        var response = await tenderee.Http.PostAsync($"/api/workflow/tasks/{taskId}/complete", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ErrorsOf(response)).TryGetProperty("estimatedPrice", out _));
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    public async Task Complete_WithAbsurdBusinessDate_Is400NamingTheField(string day)
    {
        var (tenderee, taskId) = await ClaimedAnnouncementAsync();
        var document = await tenderee.UploadAsync(taskId, "tenderDocuments");
        var json = JsonSerializer.Serialize(new { variables = WorkflowApiClient.ValidAnnouncement(document) })
            .Replace("2026-11-23", day, StringComparison.Ordinal);

        var response = await tenderee.Http.PostAsync($"/api/workflow/tasks/{taskId}/complete", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1900-01-01", (await ErrorsOf(response)).GetProperty("documentSaleStart")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_ThatIsNotJson_Is400InEnglishForAnEnglishCaller()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        await tenderee.Http.GetAsync("/culture/set?culture=en&redirectUri=/");

        var response = await tenderee.Http.PostAsync("/api/workflow/instances", new StringContent("""{"processId": 12, "projectCode": [""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains("processId", problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal("This value cannot be read: it has the wrong format or is out of range.", problem.GetProperty("errors").GetProperty("processId")[0].GetString());
    }

    [Theory]
    [InlineData("a.exe")]
    [InlineData("a.pdf")]
    public async Task TaskUpload_OfAnExecutable_IsRefusedWhateverItsName(string fileName)
    {
        var (tenderee, taskId) = await ClaimedAnnouncementAsync();
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        content.Add(file, "file", fileName);

        var response = await tenderee.Http.PostAsync($"/api/workflow/tasks/{taskId}/documents?field=tenderDocuments", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ErrorsOf(response)).TryGetProperty("tenderDocuments", out _));
    }

    [Fact]
    public async Task TaskUpload_ToAFieldTheFormDoesNotHave_IsRefused()
    {
        var (tenderee, taskId) = await ClaimedAnnouncementAsync();
        using var content = new MultipartFormDataContent();
        content.Add(new ByteArrayContent("%PDF-1.4 test"u8.ToArray()), "file", "a.pdf");

        var response = await tenderee.Http.PostAsync($"/api/workflow/tasks/{taskId}/documents?field=announcementTitle", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task TaskUpload_OfAPdf_IsAccepted()
    {
        var (tenderee, taskId) = await ClaimedAnnouncementAsync();

        Assert.NotEmpty(await tenderee.UploadAsync(taskId, "tenderDocuments"));
    }

    private async Task<(WorkflowApiClient Client, Guid TaskId)> ClaimedAnnouncementAsync()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var code = NewCode();
        await tenderee.StartOpenTenderAsync(code);
        var taskId = await tenderee.OpenTaskIdAsync(code, "submitAnnouncement");
        await tenderee.PostAsync($"/api/workflow/tasks/{taskId}/claim");
        return (tenderee, taskId);
    }
}
