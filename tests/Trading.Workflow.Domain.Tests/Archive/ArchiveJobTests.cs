using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Tests.Projects;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.Archive;

/// <summary>
/// The archive as the shipped procedures run it: an engine job (<c>tw:async</c>), so the command that reaches it returns
/// at once; a job that dies after the package is built and registered leaves nothing, retries, becomes an incident, and
/// a retry archives the project exactly once.
/// </summary>
public sealed class ArchiveJobTests
{
    private const string Procedure = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="archive-job-test" targetNamespace="http://trading.workflow/test">
          <bpmn:process id="test.archiveJob" isExecutable="true">
            <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:serviceTask id="archiveProject" tw:handler="archive.archiveProject" tw:async="true"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
            <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="archiveProject" />
            <bpmn:sequenceFlow id="f2" sourceRef="archiveProject" targetRef="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ArchiveJob_DyingAfterThePackageIsRegistered_RetriesThenIncident_AndTheRetryArchivesOnce(DatabaseProvider provider)
    {
        var crash = new Crash { Armed = true };
        await using var host = await ProjectsHost.StartAsync(provider, configure: services =>
        {
            // The last thing the archive does before the commit is its trail record: dying there leaves the package
            // built, uploaded and registered in the transaction, the worst moment for a crash.
            services.AddSingleton<IAuditTrail>(sp => new CrashingTrail(sp.GetRequiredService<AuditTrail>(), crash));
            services.Configure<WorkflowEngineOptions>(o =>
            {
                o.DefaultJobRetries = 2;
                o.JobRetryDelay = TimeSpan.Zero;
            });
        });
        var project = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.City), ProjectsHost.Input());
        await host.Engine.DeployAsync(BpmnParser.Parse(Procedure));
        var archives = host.Database.Services.GetRequiredService<ArchiveService>();
        var queue = host.Database.Services.GetRequiredService<ArchiveQueue>();

        // The command that reaches the step returns without building anything: the step waits as a job.
        var instance = await host.Engine.StartAsync(new StartInstanceRequest("test.archiveJob") { BusinessKey = project.Code });
        Assert.Equal(["archiveProject"], (await host.Engine.GetInstanceAsync(instance.Id))!.ActiveElementIds);
        Assert.Null(await archives.FindAsync(project.Id));
        var queued = Assert.Single(await queue.PendingAsync([host.City.Id]));
        Assert.Equal((project.Id, project.Code, false, (string?)null), (queued.ProjectId, queued.ProjectCode, queued.Failed, queued.LastError));
        Assert.Empty(await queue.PendingAsync([host.OtherCity.Id]));
        var job = Assert.Single(await host.Engine.GetJobsAsync(instance.Id));

        // Each attempt dies before its commit: retried, then an incident; nothing of either attempt is kept.
        Assert.Equal(JobExecutionOutcome.FailedWillRetry, (await host.Engine.ExecuteJobAsync(job.Id)).Outcome);
        var retrying = Assert.Single(await queue.PendingAsync(null));
        Assert.False(retrying.Failed);
        Assert.Contains("crashed", retrying.LastError, StringComparison.Ordinal);
        Assert.Equal(JobExecutionOutcome.FailedIncidentOpened, (await host.Engine.ExecuteJobAsync(job.Id)).Outcome);
        var incident = Assert.Single(await host.Engine.GetIncidentsAsync(instance.Id));
        Assert.Equal(("archiveProject", "failedJob"), (incident.ElementId, incident.Type));
        Assert.Equal(InstanceState.Active, (await host.Engine.GetInstanceAsync(instance.Id))!.State);
        Assert.True(Assert.Single(await queue.PendingAsync(null)).Failed);
        Assert.Equal(2, crash.Count);
        Assert.Null(await archives.FindAsync(project.Id));
        Assert.False(await host.Database.Services.GetRequiredService<ArchiveGuard>().IsArchivedAsync(project.Id));
        Assert.Equal((0, 0), await PackagesAndRecordsAsync(host.Database.Database, project.Id));

        // The cause gone, staff retry the incident: the project is archived once, and the procedure ends.
        crash.Armed = false;
        await host.Engine.RetryJobAsync(job.Id, userId: "staff", reason: "存储已恢复");
        Assert.Equal(1, await host.Engine.ExecuteDueJobsAsync());
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instance.Id))!.State);
        Assert.Empty(await host.Engine.GetIncidentsAsync(instance.Id));
        Assert.Empty(await queue.PendingAsync(null));
        var archive = (await archives.FindAsync(project.Id))!;
        Assert.Equal(instance.Id.ToString(), archive.InstanceId);
        Assert.Equal(archive.PackageDocumentId.ToString(), (await host.Engine.GetVariablesAsync(instance.Id))[ArchiveVariables.PackageDocumentId]);
        Assert.Equal((1, 1), await PackagesAndRecordsAsync(host.Database.Database, project.Id));
        Assert.True((await archives.VerifyStoredAsync(project.Id)).IsIntact);
    }

    private static async Task<(int Packages, int Records)> PackagesAndRecordsAsync(ITradingDatabase database, Guid projectId)
    {
        await using var db = database.Create();
        var packages = await db.Set<Document>().AsNoTracking().CountAsync(d => d.ProjectId == projectId && d.Kind == FileKind.Zip);
        var records = await db.Set<AuditEntry>().AsNoTracking().CountAsync(e => e.Action == "archive.project.archived" && e.SubjectId == projectId.ToString());
        return (packages, records);
    }

    private sealed class Crash
    {
        public bool Armed { get; set; }

        public int Count { get; set; }
    }

    /// <summary>The real trail, which dies right after recording the archive while armed (a crash before the commit).</summary>
    private sealed class CrashingTrail(AuditTrail inner, Crash crash) : IAuditTrail
    {
        public async Task<AuditEntry> AppendAsync(TradingDbContext db, AuditRecord record, CancellationToken cancellationToken = default)
        {
            var entry = await inner.AppendAsync(db, record, cancellationToken);
            if (crash.Armed && record.Action == "archive.project.archived")
            {
                crash.Count++;
                await db.SaveChangesAsync(cancellationToken);
                throw new IOException("The archive worker crashed after registering the package.");
            }

            return entry;
        }
    }
}
