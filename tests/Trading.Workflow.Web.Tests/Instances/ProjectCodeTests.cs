using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Tests.Inbox;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Instances;

/// <summary>
/// One running project per project code within a trade type: the REST start and the start page (both through
/// <see cref="ProcedureCatalog.StartAsync"/>) refuse a second one, also when two starts race.
/// </summary>
public abstract class ProjectCodeContract
{
    private const string OpenTender = "engineering-construction.open-tender";
    private static readonly WorkflowUser Staff = new("staff", [PlatformRoles.Staff]);

    protected abstract PlatformFactory App { get; }

    private static string NewCode() => "DUP-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<IReadOnlyList<ProcessInstanceInfo>> RunningAsync(string code) =>
        (await App.Services.GetRequiredService<IWorkflowEngine>().GetInstancesAsync(new InstanceQuery { BusinessKey = code }))
        .Where(i => i.State is InstanceState.Active or InstanceState.Suspended).ToList();

    [Fact]
    public async Task StartApi_SecondRunningProjectWithTheSameCode_Is409WithTheCodeInChinese()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(App, "tenderee");
        var code = NewCode();
        await tenderee.StartOpenTenderAsync(code);

        var response = await tenderee.Http.PostAsJsonAsync("/api/workflow/instances", new StartRequest(OpenTender, code, "另一个工程"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains(code, detail, StringComparison.Ordinal);
        Assert.Contains("项目编号", detail, StringComparison.Ordinal);
        Assert.Single(await RunningAsync(code));
    }

    [Fact]
    public async Task StartService_TwoStartsRacing_ExactlyOneWins()
    {
        var catalog = App.Services.GetRequiredService<ProcedureCatalog>();
        var code = NewCode();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            try
            {
                await catalog.StartAsync(Staff, OpenTender, code, $"并发工程 {i}");
                return (Exception?)null;
            }
            catch (Exception e)
            {
                return e;
            }
        })));

        Assert.Equal(1, attempts.Count(e => e is null));
        Assert.All(attempts.Where(e => e is not null), e => Assert.Contains(code, Assert.IsType<WorkflowConflictException>(e).MessageZh, StringComparison.Ordinal));
        Assert.Single(await RunningAsync(code));
    }

    [Fact]
    public async Task StartService_CodeOfARegisteredProjectWhoseProcedureEnded_IsRefused_AndNothingStarts()
    {
        // The QA walk started the engineering tender by hand under the archived demo project's code: the new instance
        // took that project (and its tender) as its own. A registered project's code is its own for good (一项一码).
        var catalog = App.Services.GetRequiredService<ProcedureCatalog>();
        var engine = App.Services.GetRequiredService<IWorkflowEngine>();
        Project project;
        await using (var db = App.Services.GetRequiredService<ITradingDatabase>().Create())
        {
            project = await db.Set<Project>().AsNoTracking().Where(p => p.ProcessInstanceId != null).OrderBy(p => p.Code).FirstAsync();
        }

        await engine.CancelInstanceAsync(project.ProcessInstanceId!.Value, "项目终止", "admin");

        var refused = await Assert.ThrowsAsync<WorkflowConflictException>(() =>
            catalog.StartAsync(Staff, OpenTender, project.Code, "另起一个"));

        Assert.Contains("一项一码", refused.MessageZh, StringComparison.Ordinal);
        Assert.Contains(project.Code, refused.MessageEn, StringComparison.Ordinal);
        Assert.Empty(await RunningAsync(project.Code));
    }

    [Fact]
    public async Task StartService_TheProcedureARegisteredProjectStarts_IsRefusedWithWhereItStarts_AndNotOffered()
    {
        // Started by hand under a new code, the engineering tender's first step failed: "No project with code …".
        var catalog = App.Services.GetRequiredService<ProcedureCatalog>();
        var code = NewCode();

        var refused = await Assert.ThrowsAsync<WorkflowConflictException>(() =>
            catalog.StartAsync(Staff, "engineering-construction.engineering-tender", code, "质量检查测试项目"));

        Assert.Contains("由交易项目提交时启动", refused.MessageZh, StringComparison.Ordinal);
        Assert.Contains("register the project", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await RunningAsync(code));
        Assert.False(catalog.StartsHere("engineering-construction.engineering-tender"));
        Assert.True(catalog.StartsHere(OpenTender));
    }

    [Fact]
    public async Task StartService_AfterTheFirstProjectWasCancelled_TheCodeMayStartAgain()
    {
        var catalog = App.Services.GetRequiredService<ProcedureCatalog>();
        var engine = App.Services.GetRequiredService<IWorkflowEngine>();
        var code = NewCode();
        var first = await catalog.StartAsync(Staff, OpenTender, code, "第一次");
        await engine.CancelInstanceAsync(first.Id, "项目终止", "admin");

        var second = await catalog.StartAsync(Staff, OpenTender, code, "重新招标");

        Assert.Equal(second.Id, Assert.Single(await RunningAsync(code)).Id);
    }
}

public sealed class ProjectCodeTests(WorkflowFactory factory) : ProjectCodeContract, IClassFixture<WorkflowFactory>
{
    protected override PlatformFactory App => factory.App;

    [Fact]
    public async Task StartApi_DuplicateCode_IsExplainedInEnglishToAnEnglishCaller()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(App, "tenderee");
        var code = "DUP-EN-" + Guid.NewGuid().ToString("N")[..8];
        await tenderee.StartOpenTenderAsync(code);
        await tenderee.Http.GetAsync("/culture/set?culture=en&redirectUri=/");

        var response = await tenderee.Http.PostAsJsonAsync("/api/workflow/instances", new StartRequest("engineering-construction.open-tender", code, "Another project"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains($"project code {code}", detail, StringComparison.Ordinal);
    }
}

/// <summary>The same rule on PostgreSQL, where the racing starts really run in parallel.</summary>
public sealed class ProjectCodePostgreSqlTests : ProjectCodeContract, IAsyncLifetime
{
    private readonly PostgreSqlPlatform _postgres = new();

    protected override PlatformFactory App => _postgres.App;

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();
}
