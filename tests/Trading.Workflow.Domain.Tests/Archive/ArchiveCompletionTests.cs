using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Tests.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.Archive;

/// <summary>
/// A project is complete when its archive is registered, the procedure's last stage, in the same transaction: by the
/// procedure's archive job or by hand; a failed archive leaves it running, a terminated project stays terminated, and
/// the lists filter by the state. Databases from before: archive module script 4 completes the archived projects that
/// still read submitted.
/// </summary>
public sealed class ArchiveCompletionTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task TheArchive_CompletesARunningProject_InItsTransaction_AndLeavesATerminatedOneTerminated(DatabaseProvider provider)
    {
        var failing = new ConcurrentDictionary<string, bool>();
        await using var host = await StartAsync(provider, failing);
        var archives = host.Database.Services.GetRequiredService<ArchiveService>();
        var byProcedure = await SubmittedAsync(host);
        var byHand = await SubmittedAsync(host);
        var terminated = await SubmittedAsync(host);
        var failed = await SubmittedAsync(host);

        // The procedure's archive job: archived and completed together, as of the archive.
        var job = Assert.Single(await host.Engine.GetJobsAsync(byProcedure.ProcessInstanceId));
        Assert.Equal(JobExecutionOutcome.Succeeded, (await host.Engine.ExecuteJobAsync(job.Id)).Outcome);
        var archive = (await archives.FindAsync(byProcedure.Id))!;
        var completed = await ProjectAsync(host, byProcedure.Id);
        Assert.Equal((ProjectState.Completed, byProcedure.Revision + 1), (completed.State, completed.Revision));
        Assert.InRange(completed.UpdatedAt - archive.ArchivedAt, TimeSpan.FromMilliseconds(-1), TimeSpan.FromMilliseconds(1));

        // By hand (staff, a tool): the same.
        await archives.ArchiveAsync(byHand.Id, "staff");
        Assert.Equal(ProjectState.Completed, (await ProjectAsync(host, byHand.Id)).State);

        // Ended without a result (a grant withdrawn or terminated) and archived after: still terminated.
        await using (var db = host.Database.Database.Create())
        {
            (await db.Set<Project>().SingleAsync(p => p.Id == terminated.Id)).Terminate(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        await archives.ArchiveAsync(terminated.Id, "staff");
        Assert.Equal(ProjectState.Terminated, (await ProjectAsync(host, terminated.Id)).State);

        // An archive that fails registers nothing, so the project runs on.
        failing[failed.Id.ToString()] = true;
        var failedJob = Assert.Single(await host.Engine.GetJobsAsync(failed.ProcessInstanceId));
        Assert.Equal(JobExecutionOutcome.FailedIncidentOpened, (await host.Engine.ExecuteJobAsync(failedJob.Id)).Outcome);
        Assert.Null(await archives.FindAsync(failed.Id));
        Assert.Equal((ProjectState.Submitted, failed.Revision), ((await ProjectAsync(host, failed.Id)).State, (await ProjectAsync(host, failed.Id)).Revision));

        // The project list's state filter finds them where they now stand.
        var staff = ProjectsHost.Staff(host.City);
        async Task<IEnumerable<Guid>> ListedAsync(ProjectState state) =>
            (await host.Projects.ListAsync(staff, new ProjectFilter { State = state, Take = 50 })).Rows.Select(r => r.Id).Order();
        Assert.Equal(new[] { byProcedure.Id, byHand.Id }.Order(), await ListedAsync(ProjectState.Completed));
        Assert.Equal([failed.Id], await ListedAsync(ProjectState.Submitted));
        Assert.Equal([terminated.Id], await ListedAsync(ProjectState.Terminated));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Schema4_CompletesTheArchivedProjectsThatStillReadSubmitted_AndNoOther(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider, new ConcurrentDictionary<string, bool>());
        var archives = host.Database.Services.GetRequiredService<ArchiveService>();
        var archivedBefore = await SubmittedAsync(host);
        var terminated = await SubmittedAsync(host);
        var running = await SubmittedAsync(host);
        var draft = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.City), ProjectsHost.Input());
        await archives.ArchiveAsync(archivedBefore.Id, "staff");
        await using (var db = host.Database.Database.Create())
        {
            (await db.Set<Project>().SingleAsync(p => p.Id == terminated.Id)).Terminate(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        await archives.ArchiveAsync(terminated.Id, "staff");
        var archivedAt = (await archives.FindAsync(archivedBefore.Id))!.ArchivedAt;
        var stand = (await ProjectAsync(host, terminated.Id), await ProjectAsync(host, running.Id), await ProjectAsync(host, draft.Id));

        // As a database archived before this version holds it: the archive registered, the project still submitted.
        await using (var db = host.Database.Database.Create())
        {
            await db.Set<Project>().Where(p => p.Id == archivedBefore.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.State, ProjectState.Submitted).SetProperty(p => p.Revision, 1));
            await db.Database.ExecuteSqlRawAsync("""DELETE FROM "__schema_history" WHERE "module" = 'archive' AND "version" = 4""");
            var connection = db.Database.GetDbConnection();
            var scripts = new TradingSchemaModule("archive", "Trading.Workflow.Domain.Archive.Schema").ScriptsFor(provider);
            var upgrade = await new SchemaMigrator(TimeProvider.System, NullLogger<SchemaMigrator>.Instance).UpgradeAsync(connection, scripts);
            Assert.Equal([4], upgrade.AppliedVersions);
        }

        var upgraded = await ProjectAsync(host, archivedBefore.Id);
        Assert.Equal((ProjectState.Completed, 2), (upgraded.State, upgraded.Revision));
        Assert.InRange(upgraded.UpdatedAt - archivedAt, TimeSpan.FromMilliseconds(-1), TimeSpan.FromMilliseconds(1));
        foreach (var before in new[] { stand.Item1, stand.Item2, stand.Item3 })
        {
            var after = await ProjectAsync(host, before.Id);
            Assert.Equal((before.State, before.Revision, before.UpdatedAt), (after.State, after.Revision, after.UpdatedAt));
        }

        Assert.Equal((ProjectState.Terminated, ProjectState.Submitted, ProjectState.Draft), (stand.Item1.State, stand.Item2.State, stand.Item3.State));
    }

    private static Task<ProjectsHost> StartAsync(DatabaseProvider provider, ConcurrentDictionary<string, bool> failing) =>
        ProjectsHost.StartAsync(provider, configure: services =>
        {
            services.AddSingleton<IAuditTrail>(sp => new ArchiveQueueTests.FailingTrail(sp.GetRequiredService<AuditTrail>(), failing));
            services.Configure<WorkflowEngineOptions>(o =>
            {
                o.DefaultJobRetries = 1;
                o.JobRetryDelay = TimeSpan.Zero;
            });
            services.Configure<ProjectProcedureOptions>(o =>
                o.Procedures[ProjectProcedureOptions.Key(TradeTypes.EngineeringConstruction, TradeMethods.OpenTender)] = ArchiveQueueTests.StepProcess);
        });

    private static async Task<Project> SubmittedAsync(ProjectsHost host)
    {
        if ((await host.Engine.GetLatestDefinitionsAsync()).All(d => d.ProcessId != ArchiveQueueTests.StepProcess))
        {
            await host.Engine.DeployAsync(BpmnParser.Parse(ArchiveQueueTests.Procedures));
        }

        var actor = ProjectsHost.Tenderee(host.City);
        var draft = await host.Projects.RegisterAsync(actor, ProjectsHost.Input());
        return await host.Projects.SubmitAsync(actor, draft.Id, draft.Revision);
    }

    private static async Task<Project> ProjectAsync(ProjectsHost host, Guid projectId)
    {
        await using var db = host.Database.Database.Create();
        return await db.Set<Project>().AsNoTracking().SingleAsync(p => p.Id == projectId);
    }
}
