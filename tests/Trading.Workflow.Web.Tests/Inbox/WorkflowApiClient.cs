using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>A signed-in user calling the workflow API of the real app, as a script or another system would.</summary>
public sealed class WorkflowApiClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public HttpClient Http { get; } = http;

    public static async Task<WorkflowApiClient> SignInAsync(PlatformFactory factory, string userName)
    {
        var http = factory.CreateClient();
        await http.SignInAsync(userName);
        http.DefaultRequestHeaders.Add(WorkflowEndpoints.ApiHeader, "test");
        return new WorkflowApiClient(http);
    }

    public async Task<Guid> StartOpenTenderAsync(string projectCode, string projectName = "演示道路改造工程")
    {
        var response = await Http.PostAsJsonAsync("/api/workflow/instances", new StartRequest("engineering-construction.open-tender", projectCode, projectName));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid();
    }

    public async Task<InboxPage> InboxAsync(string query)
    {
        var response = await Http.GetAsync("/api/workflow/inbox?" + query);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<InboxPage>(Json))!;
    }

    public async Task<Guid> OpenTaskIdAsync(string projectCode, string elementId, string tab = "Group")
    {
        var page = await InboxAsync($"tab={tab}&projectCode={Uri.EscapeDataString(projectCode)}&take=50");
        return page.Rows.Single(r => r.ElementId == elementId && r.BusinessKey == projectCode).TaskId;
    }

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null) =>
        Http.PostAsJsonAsync(path, body ?? new { });

    public async Task<string> UploadAsync(Guid taskId, string field, string fileName = "招标文件.pdf")
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent("%PDF-1.4 test"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        content.Add(file, "file", fileName);
        var response = await Http.PostAsync($"/api/workflow/tasks/{taskId}/documents?field={field}", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetString()!;
    }

    public Task<HttpResponseMessage> CompleteAsync(Guid taskId, object variables) =>
        Http.PostAsJsonAsync($"/api/workflow/tasks/{taskId}/complete", new { variables });

    public static object ValidAnnouncement(string documentId) => new
    {
        announcementTitle = "演示道路改造工程施工招标公告",
        announcementText = "本招标项目已由发展改革部门批准建设，招标人为演示市交通局，现对该项目施工进行公开招标。",
        qualificationMethod = "post",
        estimatedPrice = 12_500_000.00m,
        depositAmount = 200_000m,
        documentSaleStart = "2026-11-23",
        tenderDocuments = documentId,
    };
}
