using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Tests.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.Archive;

/// <summary>
/// Which archives are pending, as the project page, a tender's progress and /archive read them: a project's own state
/// is read from its own procedure's instances only (the instance it runs as and those it called), never from every
/// job of the installation; /archive reads the jobs with their instances in one query.
/// </summary>
public sealed class ArchiveQueueTests
{
    internal const string StepProcess = "engineering-construction.archive-step";
    private const string CallingProcess = "engineering-construction.archive-via-call";

    internal const string Procedures = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="archive-queue-test" targetNamespace="http://trading.workflow/test">
          <bpmn:process id="engineering-construction.archive-step" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="archiveProject" />
            <bpmn:serviceTask id="archiveProject" tw:handler="archive.archiveProject" tw:async="true" />
            <bpmn:sequenceFlow id="f2" sourceRef="archiveProject" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
          <bpmn:process id="engineering-construction.archive-via-call" isExecutable="true">
            <bpmn:startEvent id="callStart" />
            <bpmn:sequenceFlow id="c1" sourceRef="callStart" targetRef="callArchive" />
            <bpmn:callActivity id="callArchive" calledElement="engineering-construction.archive-step" />
            <bpmn:sequenceFlow id="c2" sourceRef="callArchive" targetRef="callEnd" />
            <bpmn:endEvent id="callEnd" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ProjectPendingState_IsItsOwn_WhileOtherProjectsAreQueuedOrFailed_AndReadsOnlyItsOwnInstances(DatabaseProvider provider)
    {
        var failing = new ConcurrentDictionary<string, bool>();
        await using var host = await ProjectsHost.StartAsync(provider, configure: services =>
        {
            services.AddSingleton<IAuditTrail>(sp => new FailingTrail(sp.GetRequiredService<AuditTrail>(), failing));
            services.Configure<WorkflowEngineOptions>(o =>
            {
                o.DefaultJobRetries = 1;
                o.JobRetryDelay = TimeSpan.Zero;
            });
            services.Configure<ProjectProcedureOptions>(o =>
            {
                o.Procedures[ProjectProcedureOptions.Key(TradeTypes.EngineeringConstruction, TradeMethods.OpenTender)] = StepProcess;
                o.Procedures[ProjectProcedureOptions.Key(TradeTypes.EngineeringConstruction, TradeMethods.InvitedTender)] = CallingProcess;
            });
        });
        await host.Engine.DeployAsync(BpmnParser.Parse(Procedures));
        var actor = ProjectsHost.Tenderee(host.City);
        async Task<Project> SubmittedAsync(string method)
        {
            var draft = await host.Projects.RegisterAsync(actor, ProjectsHost.Input() with { Method = method });
            return await host.Projects.SubmitAsync(actor, draft.Id, draft.Revision);
        }

        var queued = await SubmittedAsync(TradeMethods.OpenTender);
        var failed = await SubmittedAsync(TradeMethods.OpenTender);
        var called = await SubmittedAsync(TradeMethods.InvitedTender);
        var draftOnly = await host.Projects.RegisterAsync(actor, ProjectsHost.Input());
        failing[failed.Id.ToString()] = true;
        var failedJob = Assert.Single(await host.Engine.GetJobsAsync(failed.ProcessInstanceId));
        Assert.Equal(JobExecutionOutcome.FailedIncidentOpened, (await host.Engine.ExecuteJobAsync(failedJob.Id)).Outcome);
        var child = Assert.Single(await host.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = called.ProcessInstanceId }));

        var engine = CountingEngine.Around(host.Engine);
        var queue = new ArchiveQueue(engine.Engine, host.Database.Services.GetRequiredService<IDefinitionRepository>(), host.Database.Database);

        // Each project reads its own state, and only its own procedure's instances.
        var own = await queue.OfProjectAsync(queued.Id);
        Assert.Equal((queued.Id, queued.ProcessInstanceId!.Value, false), (own!.ProjectId, own.InstanceId, own.Failed));
        engine.AssertReadOnly([queued.ProcessInstanceId!.Value]);
        var broken = await queue.OfProjectAsync(failed.Id);
        Assert.Equal((failed.Id, true), (broken!.ProjectId, broken.Failed));
        Assert.Contains("storage is down", broken.LastError, StringComparison.Ordinal);
        engine.AssertReadOnly([failed.ProcessInstanceId!.Value]);
        var inCalled = await queue.OfProjectAsync(called.Id);
        Assert.Equal((called.Id, child.Id, false), (inCalled!.ProjectId, inCalled.InstanceId, inCalled.Failed));
        engine.AssertReadOnly([called.ProcessInstanceId!.Value, child.Id]);
        Assert.Null(await queue.OfProjectAsync(draftOnly.Id));
        engine.AssertReadOnly([]);

        // A tender list asks for a few projects at once: still only theirs.
        var two = await queue.PendingAsync(null, [queued.Id, failed.Id]);
        Assert.Equal(new[] { queued.Id, failed.Id }.Order(), two.Select(p => p.ProjectId).Order());
        engine.AssertReadOnly([queued.ProcessInstanceId!.Value, failed.ProcessInstanceId!.Value]);

        // /archive: every queued step of the centre, its instances read in one query, none one by one.
        var all = await queue.PendingAsync([host.City.Id]);
        Assert.Equal(new[] { queued.Id, failed.Id, called.Id }.Order(), all.Select(p => p.ProjectId).Order());
        Assert.Equal(1, engine.Count(nameof(IWorkflowEngine.GetInstancesAsync)));
        Assert.Equal(0, engine.Count(nameof(IWorkflowEngine.GetInstanceAsync)));
        Assert.Empty(await queue.PendingAsync([host.OtherCity.Id]));

        // Once a project's step ran, its page says nothing pending, while the others still wait.
        var queuedJob = Assert.Single(await host.Engine.GetJobsAsync(queued.ProcessInstanceId));
        Assert.Equal(JobExecutionOutcome.Succeeded, (await host.Engine.ExecuteJobAsync(queuedJob.Id)).Outcome);
        Assert.Null(await queue.OfProjectAsync(queued.Id));
        Assert.True((await queue.OfProjectAsync(failed.Id))!.Failed);
        Assert.Equal(new[] { failed.Id, called.Id }.Order(), (await queue.PendingAsync(null)).Select(p => p.ProjectId).Order());
    }

    /// <summary>The real trail, which fails the archive of the projects named (storage down while packing).</summary>
    internal sealed class FailingTrail(AuditTrail inner, ConcurrentDictionary<string, bool> failing) : IAuditTrail
    {
        public Task<AuditEntry> AppendAsync(TradingDbContext db, AuditRecord record, CancellationToken cancellationToken = default) =>
            record.Action == "archive.project.archived" && failing.ContainsKey(record.SubjectId)
                ? throw new IOException("The archive storage is down.")
                : inner.AppendAsync(db, record, cancellationToken);
    }

    /// <summary>The real engine, recording which instances each query named.</summary>
    public class CountingEngine : DispatchProxy
    {
        private readonly List<(string Method, object? Argument)> _calls = [];
        private IWorkflowEngine _inner = null!;

        public static CountingEngine Around(IWorkflowEngine inner)
        {
            var proxy = Create<IWorkflowEngine, CountingEngine>();
            var counting = (CountingEngine)(object)proxy;
            counting._inner = inner;
            return counting;
        }

        public IWorkflowEngine Engine => (IWorkflowEngine)(object)this;

        public int Count(string method) => _calls.Count(c => c.Method == method);

        /// <summary>Every query since the last check named only these instances (none reads every job); then forgets them.</summary>
        public void AssertReadOnly(IReadOnlyCollection<Guid> instanceIds)
        {
            foreach (var (method, argument) in _calls)
            {
                IReadOnlyCollection<Guid>? named = argument switch
                {
                    Guid id => [id],
                    InstanceQuery { ParentInstanceId: { } parent } => [parent],
                    InstanceQuery { InstanceIds: { } ids } => ids,
                    InstanceQuery { InstanceId: { } id } => [id],
                    _ => null,
                };
                Assert.True(named is not null, $"{method} read more than the project's instances ({argument}).");
                Assert.All(named, id => Assert.Contains(id, instanceIds));
            }

            _calls.Clear();
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name.StartsWith("Get", StringComparison.Ordinal))
            {
                _calls.Add((targetMethod.Name, args is { Length: > 0 } ? args[0] : null));
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
    }
}
