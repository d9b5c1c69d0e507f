using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Centres;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Hosting;

public sealed class ErrorHandlingTests : IAsyncLifetime
{
    private const string SecretDetail = "connection refused by db-secret-host";

    private readonly PlatformFactory _factory = new(configureServices: services =>
        services.AddScoped<ICentreDirectory, FailingCentreDirectory>());

    [Fact]
    public async Task FailingPage_ShowsChineseMessageWithCorrelationIdAndNoStackTrace()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Correlation-Id", "case-4711");

        var response = await client.GetAsync("/centres");

        var html = await response.Content.ReadAsStringAsync();
        var page = await new HtmlParser().ParseDocumentAsync(html);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("case-4711", page.QuerySelector("[data-testid=correlation-id]")?.TextContent);
        Assert.Contains("处理您的请求时发生错误", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretDetail, html, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", html, StringComparison.Ordinal);
        Assert.DoesNotContain("FailingCentreDirectory", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingPage_WithEnglishCookie_ShowsEnglishMessage()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Den%7Cuic%3Den");

        var response = await client.GetAsync("/centres");

        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        Assert.Contains("An error occurred while processing your request", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(page.QuerySelector("[data-testid=correlation-id]")?.TextContent));
    }

    [Fact]
    public async Task Response_EchoesIncomingCorrelationId()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Correlation-Id", "abc-123");

        var response = await client.GetAsync("/health/live");

        Assert.Equal("abc-123", response.Headers.GetValues("X-Correlation-Id").Single());
    }

    [Fact]
    public async Task Response_ReplacesUnsafeCorrelationIdWithNewOne()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-Correlation-Id", "<script>");

        var response = await client.GetAsync("/health/live");

        var id = response.Headers.GetValues("X-Correlation-Id").Single();
        Assert.NotEqual("<script>", id);
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private sealed class FailingCentreDirectory : ICentreDirectory
    {
        public Task<IReadOnlyList<CentreRow>> ListAsync(bool english, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException(SecretDetail);

        public Task<AccountResult> CreateAsync(NewCentreInput input, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException(SecretDetail);
    }
}
