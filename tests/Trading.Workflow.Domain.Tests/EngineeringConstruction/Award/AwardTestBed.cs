using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Printing;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction.Award;

/// <summary>
/// The tender host (real database, engine, kernel, engineering slice, four verified entities) with the award fragment
/// (<c>award-fragment.bpmn</c>, the one pasted into the engineering tender) deployed, an in-test evaluation report
/// (<see cref="TestEvaluationResults"/>, standing in for the evaluation part) and an in-test printing part
/// (<see cref="TestOfficialDocuments"/>, standing in for closeout's PDF renderer).
/// </summary>
public sealed class AwardTestBed : IAsyncDisposable
{
    public const string ProcessId = "tests.engineering-award";

    private AwardTestBed(TenderHost host, TestEvaluationResults results, TestOfficialDocuments printing)
    {
        Host = host;
        Results = results;
        Printing = printing;
    }

    public TenderHost Host { get; }

    public TestEvaluationResults Results { get; }

    public TestOfficialDocuments Printing { get; }

    public IWorkflowEngine Engine => Host.Engine;

    public AwardService Awards => Host.Services.GetRequiredService<AwardService>();

    public static TenderActor Supervisor => new("supervisor", "supervisor", [PlatformRoles.Supervisor], null);

    /// <param name="realPrinting">Print with the platform's own PDF part (closeout's) instead of the in-test one.</param>
    public static async Task<AwardTestBed> StartAsync(DatabaseProvider provider, bool realPrinting = false, Action<IServiceCollection>? configure = null)
    {
        var results = new TestEvaluationResults();
        var printing = new TestOfficialDocuments();
        var host = await TenderHost.StartAsync(provider, services =>
        {
            configure?.Invoke(services);
            services.AddSingleton<IEvaluationResults>(results);
            if (!realPrinting)
            {
                services.AddSingleton<IOfficialDocuments>(printing);
            }
        });
        await host.Engine.DeployAsync(BpmnParser.ParseFile(FragmentPath()));
        return new AwardTestBed(host, results, printing);
    }

    /// <summary>
    /// A submitted engineering project (one section) whose tender was opened, its evaluation report confirmed at
    /// <paramref name="reportAt"/> ranking bidder 1, 2, 3, and the award fragment started for it at that moment.
    /// </summary>
    public async Task<(Project Project, Guid InstanceId)> StartAsync(int sequence, bool stateFunded, DateTimeOffset reportAt, Guid? centreId = null)
    {
        Host.Clock.Set(reportAt);
        var code = ProjectCode.Format("530100", TradeTypes.EngineeringConstruction, 2026, sequence);
        var owner = Host.Owner;
        var project = Project.Register(code, centreId ?? Guid.NewGuid(), TradeTypes.EngineeringConstruction,
            new ProjectDetails(TradeMethods.OpenTender, "演示市政道路改造工程（演示数据）", new PartyRef(owner.Id, owner.Name), null, null, stateFunded, "530102", "市政"),
            [new SectionDraft("施工", 5_000_000m, 100_000m, DepositForms.Transfer)], "tenderee", reportAt);
        await using (var db = Host.Database.Database.Create())
        {
            db.Add(project);
            db.Add(Tender.Create(project.Id, project.Code, project.Name, project.CentreId, owner.Id, null, TenderKind.Open, reportAt));
            await db.SaveChangesAsync();
        }

        var section = project.Sections[0];
        var prices = new[] { 4_200_000m, 4_350_000m, 4_480_000m };
        Results.Reports[project.Id] = new EvaluationReport(Guid.NewGuid(), project.Id, reportAt, "评标委员会主任（演示）", "三家投标人均通过资格评审，按综合评估法排序。",
            [new SectionEvaluationResult(section.Id, section.Code, "comprehensive",
                [.. Host.Bidders.Select((b, i) => new RankedCandidate(i + 1, b.Id, b.Name, prices[i], 92m - (5 * i)))],
                [.. Host.Bidders.Select((b, i) => new EvaluatedBidder(b.Id, b.Name, prices[i], false, null, 92m - (5 * i)))])]);
        var instance = await Engine.StartAsync(new StartInstanceRequest(ProcessId)
        {
            BusinessKey = code,
            UserId = "tenderee",
            Variables = new Dictionary<string, object?> { ["projectCode"] = code, ["projectName"] = project.Name },
            BeforeCommit = async (transaction, info, ct) =>
            {
                var db = Host.Database.Database.For(transaction);
                var submitted = await db.Set<Project>().FirstAsync(p => p.Id == project.Id, ct);
                submitted.Submit(ProcessId, info.Id, reportAt);
                await db.SaveChangesAsync(ct);
            },
        });
        // engineering.publishCandidates runs asynchronously (after the command that confirmed the report committed).
        await Engine.ExecuteDueJobsAsync();
        return (project, instance.Id);
    }

    public async Task<IReadOnlyList<string>> OpenTasksAsync(Guid instanceId) =>
        [.. (await Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Select(t => t.ElementId).Order(StringComparer.Ordinal)];

    public async Task CompleteAsync(Guid instanceId, string elementId)
    {
        var task = (await Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Single(t => t.ElementId == elementId);
        await Engine.CompleteTaskAsync(task.Id, null, "tenderee");
    }

    /// <summary>The trail's actions of the project, oldest first.</summary>
    public async Task<IReadOnlyList<string>> TrailAsync(Guid projectId)
    {
        await using var db = Host.Database.Database.Create();
        var id = projectId.ToString();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => e.SubjectId == id).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
    }

    public async Task<Guid> UploadAsync(Guid projectId, string name) => await Host.UploadAsync(projectId, name);

    public async Task<IReadOnlyDictionary<string, object?>> VariablesAsync(Guid instanceId) => await Engine.GetVariablesAsync(instanceId);

    private static string FragmentPath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "tests", "Trading.Workflow.Domain.Tests", "EngineeringConstruction", "Award", "award-fragment.bpmn");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"award-fragment.bpmn not found above {AppContext.BaseDirectory}.");
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>The evaluation part as these tests need it: the confirmed report of a project, set by the test.</summary>
public sealed class TestEvaluationResults : IEvaluationResults
{
    public Dictionary<Guid, EvaluationReport> Reports { get; } = [];

    public Task<EvaluationReport?> GetConfirmedReportAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Reports.GetValueOrDefault(projectId));

    public Task<EvaluationReport?> GetConfirmedReportAsync(Trading.Workflow.Domain.Persistence.TradingDbContext db, Guid projectId, CancellationToken cancellationToken = default) =>
        GetConfirmedReportAsync(projectId, cancellationToken);
}

/// <summary>
/// The printing part as these tests need it: every spec it was given, and an issued document whose SM3 stands for the
/// hash of the spec's text (the real renderer and its hashes are the printing part's own tests).
/// </summary>
public sealed class TestOfficialDocuments : IOfficialDocuments
{
    private readonly List<(OfficialDocumentSpec Spec, IssuedDocument Issued)> _issued = [];

    public IReadOnlyList<(OfficialDocumentSpec Spec, IssuedDocument Issued)> Issued => _issued;

    public bool Fail { get; set; }

    public Task<IssuedDocument> IssueAsync(OfficialDocumentSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Fail)
        {
            throw new IOException("printer unavailable (test)");
        }

        var text = string.Join('\n', spec.Blocks.Select(b => b.ToString()));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(spec.Title + text)));
        var id = Guid.NewGuid();
        var issued = new IssuedDocument(id, Guid.NewGuid(), spec.ProjectId, spec.SectionId, spec.Kind, spec.Title, spec.Issuer, spec.Number,
            spec.FileName ?? "document.pdf", text.Length, hash, DateTimeOffset.UtcNow, spec.IssuedBy, $"/verify/{id}");
        _issued.Add((spec, issued));
        return Task.FromResult(issued);
    }

    public Task<IssuedDocument> IssueAsync(TradingDbContext db, OfficialDocumentSpec spec, CancellationToken cancellationToken = default) =>
        IssueAsync(spec, cancellationToken);

    public Task<IssuedDocument?> FindAsync(Guid issuedDocumentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_issued.Select(i => i.Issued).FirstOrDefault(i => i.Id == issuedDocumentId));

    public Task<IReadOnlyList<IssuedDocument>> ListForProjectAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<IssuedDocument>>([.. _issued.Select(i => i.Issued).Where(i => i.ProjectId == projectId)]);
}
