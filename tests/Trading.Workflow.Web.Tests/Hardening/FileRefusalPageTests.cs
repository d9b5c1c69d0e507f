using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Web.Documents;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Tests.Inbox;

namespace Trading.Workflow.Web.Tests.Hardening;

/// <summary>
/// A file link the platform refuses: a browser tab (Accept prefers text/html) gets the app's page saying why in the
/// user's language, with the status kept (a bad link's 400 with the fields it got wrong, a damaged file's 409 too);
/// scripts and API callers (JSON, */*) still get ProblemDetails.
/// </summary>
public sealed class FileRefusalPageTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    // A scan of bidder's entity: a registry document that buyer (another entity's user) may not read.
    private async Task<(Guid EntityId, string Sha256, Guid DocumentId)> BidderScanAsync()
    {
        var services = factory.App.Services;
        var account = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("bidder"))!;
        var entityId = (await services.GetRequiredService<IEntityMembership>().EntitiesOfAsync(account.AccountId))[0].EntityId;
        var market = services.GetRequiredService<MarketEntityService>();
        var scan = MarketEntityService.ScansOf(await market.GetAsync(entityId)).First();
        return (entityId, scan.Sha256, scan.DocumentId!.Value);
    }

    private async Task<HttpClient> SignedInAsync(string userName, bool english = false)
    {
        var client = factory.App.CreateClient();
        await client.SignInAsync(userName);
        if (english)
        {
            (await client.GetAsync("/culture/set?culture=en&redirectUri=/")).EnsureSuccessStatusCode();
        }

        return client;
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string accept, string? referrer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (referrer is not null)
        {
            request.Headers.Referrer = new Uri(client.BaseAddress!, referrer);
        }

        return client.SendAsync(request);
    }

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> PageAsync(HttpResponseMessage response)
    {
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RefusedDocument_InABrowserTab_IsAChinesePage_With403_AndALinkBack()
    {
        var (_, _, documentId) = await BidderScanAsync();
        var buyer = await SignedInAsync("buyer");

        var response = await GetAsync(buyer, $"/documents/{documentId}/content", BrowserAccept, referrer: "/market/profile");

        var page = await PageAsync(response);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("无权查看此文件", page.QuerySelector("h1")?.TextContent.Trim());
        Assert.Contains("您的账户无权查看此文件", page.QuerySelector("[data-testid=file-refused]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("/market/profile", page.QuerySelector("[data-testid=file-refused-back]")?.GetAttribute("href"));
        Assert.DoesNotContain("\"status\"", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedDocument_InABrowserTab_WithEnglishCookie_IsAnEnglishPage()
    {
        var (_, _, documentId) = await BidderScanAsync();
        var buyer = await SignedInAsync("buyer", english: true);

        var response = await GetAsync(buyer, $"/documents/{documentId}/content", BrowserAccept);

        var page = await PageAsync(response);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("You may not open this file", page.QuerySelector("h1")?.TextContent.Trim());
        Assert.Contains("Your account is not allowed to read this file", page.QuerySelector("[data-testid=file-refused]")?.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("[data-testid=file-refused-back]"));
    }

    [Theory]
    [InlineData(false, "文件不存在", "该文件不存在，或链接有误。")]
    [InlineData(true, "File not found", "This file does not exist, or the link is wrong.")]
    public async Task UnknownDocument_InABrowserTab_IsANotFoundPage_InTheUsersLanguage(bool english, string title, string message)
    {
        var staff = await SignedInAsync("staff", english);

        var response = await GetAsync(staff, $"/documents/{Guid.NewGuid()}/content", BrowserAccept);

        var page = await PageAsync(response);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(title, page.QuerySelector("h1")?.TextContent.Trim());
        Assert.Equal(message, page.QuerySelector("[data-testid=file-refused]")?.TextContent.Trim());
    }

    [Fact]
    public async Task AnotherEntitysScanLink_InABrowserTab_IsThe403Page()
    {
        var (entityId, sha256, _) = await BidderScanAsync();
        var buyer = await SignedInAsync("buyer");

        var response = await GetAsync(buyer, $"/market/entities/{entityId}/documents/{sha256}", BrowserAccept);

        var page = await PageAsync(response);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("无权查看此文件", page.QuerySelector("h1")?.TextContent.Trim());
    }

    [Theory]
    [InlineData("/workflow/documents/{0}")]
    [InlineData("/api/evaluations/{0}/items/{0}")]
    [InlineData("/deposits/sections/{0}/ledger.xlsx")]
    [InlineData("/portal/notices/{0}/attachments/0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task EveryFileDownload_UnknownInABrowserTab_IsTheNotFoundFilePage(string pattern)
    {
        var staff = await SignedInAsync("staff");
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, Guid.NewGuid());

        var response = await GetAsync(staff, path, BrowserAccept);
        var asScript = await GetAsync(staff, path, "*/*");

        var page = await PageAsync(response);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("文件不存在", page.QuerySelector("h1")?.TextContent.Trim());
        Assert.Equal(HttpStatusCode.NotFound, asScript.StatusCode);
        // A script gets what it got before (a bare 404, or the generic not-found page off /api), never the file page.
        Assert.DoesNotContain("file-refused", await asScript.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("*/*")]
    public async Task RefusedAndUnknownDocument_ForAnApiCaller_StayProblemDetails(string accept)
    {
        var (_, _, documentId) = await BidderScanAsync();
        var buyer = await SignedInAsync("buyer");

        var refused = await GetAsync(buyer, $"/documents/{documentId}/content", accept);
        var unknown = await GetAsync(buyer, $"/documents/{Guid.NewGuid()}/content", accept);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(403, (await refused.Content.ReadFromJsonAsync<ProblemDetails>())!.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (await unknown.Content.ReadFromJsonAsync<ProblemDetails>())!.Status);
    }

    [Theory]
    [InlineData(false, "文件链接有误", "下载链接中有平台不接受的内容", "actor：最多 4000 个字符（现有 4001 个）。")]
    [InlineData(true, "The file link is not valid", "The download link carries a value the platform does not accept", "actor: At most 4000 characters (this has 4001).")]
    public async Task ExportLink_FailingTheInputChecks_InABrowserTab_IsThe400Page_NamingTheField_InTheUsersLanguage(
        bool english, string title, string message, string field)
    {
        var supervisor = await SignedInAsync("supervisor", english);
        var path = "/supervision/trail/export.xlsx?actor=" + new string('a', 4001);

        var response = await GetAsync(supervisor, path, BrowserAccept, referrer: "/supervision/trail");
        var asScript = await GetAsync(supervisor, path, "*/*");

        var page = await PageAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(title, page.QuerySelector("h1")?.TextContent.Trim());
        Assert.Equal("400", page.QuerySelector("[data-testid=file-refused]")?.GetAttribute("data-status"));
        Assert.Contains(message, page.QuerySelector("[data-testid=file-refused]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(field, page.QuerySelector("[data-testid=file-refused-errors] li")?.TextContent.Trim());
        Assert.Equal("/supervision/trail", page.QuerySelector("[data-testid=file-refused-back]")?.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.BadRequest, asScript.StatusCode);
        Assert.Equal("application/problem+json", asScript.Content.Headers.ContentType?.MediaType);
        Assert.True((await asScript.Content.ReadFromJsonAsync<HttpValidationProblemDetails>())!.Errors.ContainsKey("actor"));
    }

    [Theory]
    [InlineData(false, "文件链接有误")]
    [InlineData(true, "The file link is not valid")]
    public async Task ExportLink_WithAnUnreadableValue_InABrowserTab_IsThe400Page_AScriptStillGetsProblemDetails(bool english, string title)
    {
        var staff = await SignedInAsync("staff", english);
        const string path = "/projects/export.xlsx?state=NoSuchState";

        var response = await GetAsync(staff, path, BrowserAccept);
        var asScript = await GetAsync(staff, path, "application/json");

        var page = await PageAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(title, page.QuerySelector("h1")?.TextContent.Trim());
        Assert.Equal("400", page.QuerySelector("[data-testid=file-refused]")?.GetAttribute("data-status"));
        // The framework's sentence names a CLR type: the page says it in the user's words instead.
        Assert.DoesNotContain("ProjectState", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, asScript.StatusCode);
        Assert.Equal("application/problem+json", asScript.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, (await asScript.Content.ReadFromJsonAsync<ProblemDetails>())!.Status);
    }

    [Theory]
    [InlineData(false, "文件无法提供", "平台保存的文件已不完好", "该文件的内容与登记的哈希值不符")]
    [InlineData(true, "File unavailable", "The file the platform keeps is no longer intact", "The file's content no longer matches its registered hash")]
    public async Task DocumentWhoseBytesNoLongerMatchTheirHash_InABrowserTab_IsThe409Page_InTheUsersLanguage(
        bool english, string title, string message, string detail)
    {
        var tenderee = await SignedInAsync("tenderee");
        tenderee.DefaultRequestHeaders.Add(Web.Workflow.WorkflowEndpoints.ApiHeader, "test");
        var staff = await SignedInAsync("staff", english);
        var bytes = new byte[5000];
        RandomNumberGenerator.Fill(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        var body = new ByteArrayContent(bytes);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var created = await tenderee.PostAsync("/api/documents?name=damaged.pdf", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var document = (await created.Content.ReadFromJsonAsync<DocumentResponse>(Inbox.WorkflowApiClient.Json))!;
        // The stored bytes swapped behind the platform's back: same length, another hash.
        RandomNumberGenerator.Fill(bytes.AsSpan(16));
        await File.WriteAllBytesAsync(Path.Combine(factory.App.DataFolder, "files", document.Sha256[..2], document.Sha256[2..4], document.Sha256), bytes);

        var response = await GetAsync(staff, $"/documents/{document.Id}/content", BrowserAccept);
        var asScript = await GetAsync(staff, $"/documents/{document.Id}/content", "*/*");

        var page = await PageAsync(response);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(title, page.QuerySelector("h1")?.TextContent.Trim());
        Assert.Equal("409", page.QuerySelector("[data-testid=file-refused]")?.GetAttribute("data-status"));
        Assert.Contains(message, page.QuerySelector("[data-testid=file-refused]")?.TextContent, StringComparison.Ordinal);
        Assert.Contains(detail, page.QuerySelector("[data-testid=file-refused-detail]")?.TextContent, StringComparison.Ordinal);
        Assert.Null(response.Content.Headers.ContentDisposition);
        Assert.Equal(HttpStatusCode.Conflict, asScript.StatusCode);
        Assert.Equal("application/problem+json", asScript.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("text/html", true)]
    [InlineData(BrowserAccept, true)]
    [InlineData("application/json", false)]
    [InlineData("*/*", false)]
    [InlineData("application/json, text/html;q=0.5", false)]
    [InlineData("", false)]
    public void IsBrowserNavigation_FollowsTheAcceptHeader(string accept, bool expected)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Headers.Accept = accept;

        Assert.Equal(expected, Web.Errors.FileRefusals.IsBrowserNavigation(context.Request));
    }
}
