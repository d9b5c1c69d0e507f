using System.Collections.Concurrent;
using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Projects;
using Trading.Workflow.Web.Tests.EngineeringConstruction;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Warnings;
using ProjectPage = Trading.Workflow.Web.Components.Pages.Projects.ProjectPage;

namespace Trading.Workflow.Web.Tests.Archive;

/// <summary>
/// The archive's progress where a project's state is read: a grant's page and the offerings list say archiving while its
/// procedure's archive job waits (or retries), failed once the job is an incident, archived once it ran, as the tender
/// page does; the project page reads a project archived by its procedure as completed and archived; in zh and en.
/// </summary>
public sealed class ArchiveProgressPagesTests : TenderPageTest
{
    [Fact]
    public async Task GrantPageAndList_FollowTheArchive_ArchivingThenFailedThenArchived_InZhAndEn()
    {
        // The archive of the projects named here fails (storage down) until they are taken off; a failed attempt is retried
        // an hour later, so the page reads each state before anything moves on.
        var failing = new ConcurrentDictionary<string, bool>();
        await using var factory = new PlatformFactory(configureServices: services =>
        {
            services.AddSingleton<IAuditTrail>(sp => new FailingTrail(sp.GetRequiredService<AuditTrail>(), failing));
            services.Configure<WorkflowEngineOptions>(o =>
            {
                o.DefaultJobRetries = 2;
                o.JobRetryDelay = TimeSpan.FromHours(1);
            });
        });
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());
        var grants = services.GetRequiredService<GrantService>();
        var engine = services.GetRequiredService<IWorkflowEngine>();
        var account = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("grantor"))!;
        var grantor = new GrantActor("grantor", account.AccountId, [PlatformRoles.Tenderee], account.CentreId);
        var draft = (await grants.ListAsync(grantor, TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);
        failing[draft.ProjectId.ToString()] = true;
        var submitted = await grants.SubmitAsync(grantor, draft.Id, draft.Version, draft.StartPrice, GrantDemoSchedule.Default);
        var offering = await grants.WithdrawAsync(grantor, submitted.Id, "演示撤回");
        Assert.Equal(GrantStage.Withdrawn, offering.Stage);
        var instanceId = (await engine.GetInstancesAsync(new InstanceQuery { BusinessKey = offering.ProjectCode })).Single().Id;
        var user = SignIn("grantor", PlatformRoles.Tenderee);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.AccountId), new Claim(CentreClaimsPrincipalFactory.ClaimType, offering.CentreId.ToString()));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", false));

        // The first attempt failed (the app's scheduler or this call ran it): archiving, retried later.
        var job = await FirstAttemptFailedAsync(engine, instanceId);
        AssertProgress(offering, "Archiving", "归档中", "Archiving");

        // Its last retry failed: an incident the centre's staff retry.
        Assert.Equal(JobExecutionOutcome.FailedIncidentOpened, (await engine.ExecuteJobAsync(job.Id)).Outcome);
        AssertProgress(offering, "Failed", "归档失败，待交易中心处理", "Archiving failed; the centre will retry it");

        // The cause gone, staff retry it: archived.
        failing.Clear();
        await engine.RetryJobAsync(job.Id, userId: "staff", reason: "存储已恢复");
        Assert.NotNull(await WithdrawnGrantFixture.ArchivedAsync(services, offering.ProjectId));
        AssertProgress(offering, "Archived", "已归档（只读）", "Archived (read-only)");

        // Still trading: no archive state at all.
        Culture("zh-CN");
        var list = Render<GrantOfferingsList>(p => p.Add(c => c.TradeType, TradeTypes.LandRights));
        list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll("[data-testid=grant-row]")));
        Assert.Single(list.FindAll("[data-testid=grant-row-archive]"));
    }

    [Fact]
    public async Task ProjectPage_OfAProjectArchivedByItsProcedure_ReadsCompletedAndArchived_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<ProjectService>());
        Services.AddSingleton(services.GetRequiredService<ProjectActors>());
        Services.AddSingleton(services.GetRequiredService<Trading.Workflow.Domain.EngineeringConstruction.TenderService>());
        Services.AddScoped<WarningAccess>();
        Services.AddSingleton(services.GetRequiredService<WarningService>());
        Services.AddSingleton(services.GetRequiredService<ArchiveQueue>());
        // The demo city's submitted engineering project, archived as its procedure's last step does.
        Guid projectId;
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            projectId = await db.Set<Project>().AsNoTracking()
                .Where(p => p.State == ProjectState.Submitted && p.TradeType == TradeTypes.EngineeringConstruction).Select(p => p.Id).FirstAsync();
        }

        await services.GetRequiredService<ArchiveService>().ArchiveAsync(projectId, "system:procedure");
        await SignInAsync(services, "staff");
        RenderProviders();

        foreach (var (culture, completed, archived) in new[] { ("zh-CN", "已完成", "已归档（只读）"), ("en", "Completed", "Archived (read-only)") })
        {
            Culture(culture);
            var page = Render<ProjectPage>(p => p.Add(c => c.ProjectId, projectId));
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=project-state]")), TimeSpan.FromSeconds(10));
            var state = page.Find("[data-testid=project-state]");
            Assert.Equal(("Completed", completed), (state.GetAttribute("data-state"), state.TextContent.Trim()));
            var archive = page.Find("[data-testid=project-archive]");
            Assert.Equal(("Archived", archived), (archive.GetAttribute("data-archive"), archive.TextContent.Trim()));
        }
    }

    private void AssertProgress(GrantOffering offering, string progress, string zh, string en)
    {
        foreach (var (culture, text) in new[] { ("zh-CN", zh), ("en", en) })
        {
            Culture(culture);
            var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-stage]")), TimeSpan.FromSeconds(10));
            var chip = page.Find("[data-testid=grant-archive]");
            Assert.Equal((progress, text), (chip.GetAttribute("data-archive"), chip.TextContent.Trim()));

            var list = Render<GrantOfferingsList>(p => p.Add(c => c.TradeType, offering.TradeType));
            list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll("[data-testid=grant-row]")), TimeSpan.FromSeconds(10));
            var row = list.FindAll("[data-testid=grant-row]").Single(r => r.TextContent.Contains(offering.ProjectCode, StringComparison.Ordinal));
            Assert.Equal(progress, row.QuerySelector("[data-testid=grant-row-archive]")!.GetAttribute("data-archive"));
        }
    }

    /// <summary>The archive job once its first attempt failed, whoever ran it (the app's scheduler, or this loop).</summary>
    private static async Task<JobInfo> FirstAttemptFailedAsync(IWorkflowEngine engine, Guid instanceId)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if ((await engine.GetJobsAsync(instanceId)).SingleOrDefault() is { LastError: not null } job)
            {
                return job;
            }

            await engine.ExecuteDueJobsAsync();
            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException("The archive job never ran.");
    }

    /// <summary>The real trail, which fails the archive of the projects named (storage down while packing).</summary>
    private sealed class FailingTrail(AuditTrail inner, ConcurrentDictionary<string, bool> failing) : IAuditTrail
    {
        public Task<AuditEntry> AppendAsync(TradingDbContext db, AuditRecord record, CancellationToken cancellationToken = default) =>
            record.Action == "archive.project.archived" && failing.ContainsKey(record.SubjectId)
                ? throw new IOException("The archive storage is down.")
                : inner.AppendAsync(db, record, cancellationToken);
    }
}
