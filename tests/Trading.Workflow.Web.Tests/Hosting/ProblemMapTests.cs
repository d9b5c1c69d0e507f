using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Values;
using Trading.Workflow.Web.Components.Workflow;
using Trading.Workflow.Web.Errors;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Hosting;

/// <summary>One exception → problem map: the API and the pages say the same thing for the same failure.</summary>
public sealed class ProblemMapTests(ProblemMapTests.Fixture fixture) : IClassFixture<ProblemMapTests.Fixture>
{
    private const string ThrowPath = "/api/test/throw/";

    /// <summary>The failures the workflow commands raise, by name.</summary>
    private static readonly Dictionary<string, Func<Exception>> Failures = new()
    {
        ["denied"] = () => new WorkflowAccessDeniedException(),
        ["notFound"] = () => new WorkflowNotFoundException("task", "t-1"),
        ["conflict"] = () => WorkflowConflictException.TaskNotOpen(Guid.Empty, "Completed"),
        ["suspended"] = () => new InstanceSuspendedException(Guid.Empty),
        ["invalidVariable"] = () => new InvalidVariableException("deadline", "不是日期", "not a date"),
        ["variableValue"] = () => new VariableValueException("“下周一”不是日期", "'next Monday' is not a date"),
    };

    [Theory]
    [InlineData("denied", 403)]
    [InlineData("notFound", 404)]
    [InlineData("conflict", 409)]
    [InlineData("suspended", 400)]
    [InlineData("invalidVariable", 400)]
    [InlineData("variableValue", 400)]
    public async Task Failure_ThroughApiAndPages_HasTheSameStatusAndMessage(string failure, int status)
    {
        var chinese = await fixture.Factory.CreateClient().GetAsync(ThrowPath + failure);
        var english = await EnglishClient().GetAsync(ThrowPath + failure);

        var problem = await chinese.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, (int)chinese.StatusCode);
        Assert.Equal("application/problem+json", chinese.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PageMessage(failure, "zh-CN"), problem.GetProperty("detail").GetString());
        Assert.Equal(PageMessage(failure, "en"), (await english.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("correlationId").GetString()));
    }

    [Fact]
    public async Task InvalidVariable_ThroughApi_NamesTheField()
    {
        var response = await fixture.Factory.CreateClient().GetAsync(ThrowPath + "invalidVariable");

        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("不是日期", errors.GetProperty("deadline")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void VariableValue_OnAPage_IsAMessageNotTheErrorPage()
    {
        var message = WithCulture("zh-CN", () => WorkflowErrors.Describe(new VariableValueException("值无效", "invalid value")));

        Assert.Equal("值无效", message);
    }

    [Fact]
    public async Task Refusal_OnAPageRequest_ErrorPageShowsTheSameMessageAndStatus()
    {
        var response = await fixture.Factory.CreateClient().GetAsync("/test/throw/denied");

        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(PageMessage("denied", "zh-CN"), page.QuerySelector("[data-testid=error-detail]")?.TextContent);
        Assert.False(string.IsNullOrEmpty(page.QuerySelector("[data-testid=correlation-id]")?.TextContent));
    }

    [Fact]
    public async Task Defect_ThroughApi_Is500WithGenericMessageAndNoDetail()
    {
        var response = await fixture.Factory.CreateClient().GetAsync(ThrowPath + "defect");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("处理您的请求时发生错误", body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-host", body, StringComparison.Ordinal);
        Assert.Null(WorkflowErrors.Describe(new InvalidOperationException("secret-host")));
    }

    private static string? PageMessage(string failure, string culture) => WithCulture(culture, () => WorkflowErrors.Describe(Failures[failure]()));

    private static T WithCulture<T>(string culture, Func<T> read)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return read();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private HttpClient EnglishClient()
    {
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Den%7Cuic%3Den");
        return client;
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public PlatformFactory Factory { get; } = new(configureServices: services => services.AddTransient<IStartupFilter, ThrowingEnd>());

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    /// <summary>
    /// Past the app's endpoints (so inside its exception handling), /api/test/throw/{name} (and any other path
    /// ending in a failure's name) throws the named failure, as a workflow command would.
    /// </summary>
    private sealed class ThrowingEnd : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context =>
            {
                var name = context.Request.Path.Value![(context.Request.Path.Value!.LastIndexOf('/') + 1)..];
                throw Failures.TryGetValue(name, out var failure) ? failure() : new InvalidOperationException("connection refused by secret-host");
            });
        };
    }
}
