using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Engine.Persistence.Versions;

/// <summary>One row of wf_definitions: a draft (no version yet), a published or a retired version.</summary>
public sealed record ProcessVersionInfo(
    Guid Id,
    string ProcessId,
    int? Version,
    DefinitionState State,
    string? Name,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset? PublishedAt,
    string? PublishedBy,
    string? ChangeNote,
    DateTimeOffset? RetiredAt,
    string? RetiredBy,
    IReadOnlyList<ValidationProblem> Problems)
{
    public bool HasErrors => Problems.HasErrors();
}

/// <summary>
/// Drafts, publishing, retiring and re-publishing of procedures. Publishing goes through
/// <see cref="IWorkflowEngine.DeployAsync"/> so timer start events are scheduled as for any deployment; the new
/// version n+1 carries who, when and the change note. New instances use the newest published version; running
/// instances keep theirs until migrated (<see cref="InstanceMigrationService"/>).
/// </summary>
public sealed class ProcessVersionService(WorkflowDatabase database, EfDefinitionRepository definitions, IWorkflowEngine engine, TimeProvider time)
{
    /// <summary>
    /// Parses and validates the XML and keeps it as the draft of each process it defines (replacing an earlier
    /// draft of the same process), with the problems found. A draft with errors is saved but cannot be published.
    /// </summary>
    /// <exception cref="BpmnParseException">The XML is not a readable BPMN file.</exception>
    public Task<IReadOnlyList<ProcessVersionInfo>> SaveDraftAsync(string bpmnXml, string? userId, CancellationToken cancellationToken = default) =>
        SaveDraftAsync(bpmnXml, userId, null, cancellationToken);

    /// <summary>
    /// As above, refusing with <see cref="WorkflowConflictException"/> (nothing saved) when the draft of
    /// <paramref name="basedOn"/>'s process is no longer the one the editor started from: someone saved it since.
    /// </summary>
    public async Task<IReadOnlyList<ProcessVersionInfo>> SaveDraftAsync(string bpmnXml, string? userId, DraftBase? basedOn, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bpmnXml);
        var parsed = BpmnParser.Parse(bpmnXml);
        var problems = parsed.ParseProblems.Concat(definitions.Validate(parsed)).ToList();
        var now = time.GetUtcNow();
        var saved = new List<DefinitionEntity>();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var db = database.CreateContext(connection, transaction);
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            // Two saves of one draft read and write one after the other (SQLite's write lock, taken at BEGIN, does this
            // there): a checked save sees the other's draft, and two first drafts of a process do not both insert.
            foreach (var processId in parsed.Processes.Select(p => p.Id).Distinct().Order(StringComparer.Ordinal))
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"wf_draft:" + processId}))", cancellationToken);
            }
        }

        foreach (var process in parsed.Processes)
        {
            var own = problems.Where(p => p.ProcessId is null || p.ProcessId == process.Id).ToList();
            var draft = await db.Definitions.FirstOrDefaultAsync(d => d.ProcessId == process.Id && d.State == DefinitionState.Draft, cancellationToken);
            if (basedOn is not null && basedOn.ProcessId == process.Id && !string.Equals(draft?.BpmnXml, basedOn.Xml, StringComparison.Ordinal))
            {
                throw draft is null
                    ? WorkflowConflictException.DraftGone(process.Id)
                    : WorkflowConflictException.DraftChanged(process.Id, draft.CreatedBy, draft.CreatedAt);
            }
            if (draft is null)
            {
                draft = new DefinitionEntity { Id = Guid.CreateVersion7(now), ProcessId = process.Id, BpmnXml = bpmnXml };
                db.Definitions.Add(draft);
            }
            else
            {
                db.Definitions.Update(draft);
            }

            draft.BpmnXml = bpmnXml;
            draft.Name = process.Name;
            draft.State = DefinitionState.Draft;
            draft.ValidationProblems = JsonSerializer.Serialize(own);
            draft.HasErrors = own.HasErrors();
            draft.CreatedAt = now;
            draft.CreatedBy = userId;
            saved.Add(draft);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return saved.Select(ToInfo).ToList();
    }

    /// <summary>Publishes the draft of the process as version n+1.</summary>
    /// <exception cref="WorkflowNotFoundException">The process has no draft.</exception>
    /// <exception cref="WorkflowDefinitionException">The draft has validation errors.</exception>
    public async Task<ProcessVersionInfo> PublishAsync(string processId, string? userId, string? changeNote, CancellationToken cancellationToken = default)
    {
        var draft = await FindAsync(d => d.ProcessId == processId && d.State == DefinitionState.Draft, cancellationToken)
            ?? throw new WorkflowNotFoundException("draft", processId);
        if (draft.HasErrors)
        {
            throw new WorkflowDefinitionException(
                $"流程 {processId} 的草稿有校验错误，不能发布",
                $"The draft of process '{processId}' has validation errors and cannot be published.");
        }

        return await DeployAsync(draft.BpmnXml, processId, draft.Id, changeNote, userId, cancellationToken);
    }

    /// <summary>Publishes the XML of an earlier version again, as version n+1 (e.g. to roll back a change).</summary>
    public async Task<ProcessVersionInfo> RepublishAsync(string processId, int version, string? userId, string? changeNote, CancellationToken cancellationToken = default)
    {
        var earlier = await FindAsync(d => d.ProcessId == processId && d.Version == version, cancellationToken)
            ?? throw new WorkflowNotFoundException("process version", $"{processId}:{version}");
        return await DeployAsync(earlier.BpmnXml, processId, null, changeNote ?? $"re-published from version {version}", userId, cancellationToken);
    }

    /// <summary>Retires a published version: it is no longer chosen for new instances; running ones go on.</summary>
    public async Task<ProcessVersionInfo> RetireAsync(string processId, int version, string? userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        var row = await db.Definitions.FirstOrDefaultAsync(d => d.ProcessId == processId && d.Version == version, cancellationToken)
            ?? throw new WorkflowNotFoundException("process version", $"{processId}:{version}");
        if (row.State != DefinitionState.Published)
        {
            throw new WorkflowStateException($"流程 {processId} 的版本 {version} 未处于发布状态", $"Version {version} of process '{processId}' is not published.");
        }

        row.State = DefinitionState.Retired;
        row.RetiredAt = time.GetUtcNow();
        row.RetiredBy = userId;
        db.Definitions.Update(row);
        await db.SaveChangesAsync(cancellationToken);
        definitions.ForgetLatest(processId);
        return ToInfo(row);
    }

    /// <summary>Every version of the process, oldest first, the draft (if any) last.</summary>
    public async Task<IReadOnlyList<ProcessVersionInfo>> GetVersionsAsync(string processId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        var rows = await db.Definitions.AsNoTracking().Where(d => d.ProcessId == processId).ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.Version ?? int.MaxValue).Select(ToInfo).ToList();
    }

    /// <summary>The BPMN XML of a version, or of the draft when <paramref name="version"/> is null.</summary>
    public async Task<string?> GetXmlAsync(string processId, int? version, CancellationToken cancellationToken = default)
    {
        var row = version is { } v
            ? await FindAsync(d => d.ProcessId == processId && d.Version == v, cancellationToken)
            : await FindAsync(d => d.ProcessId == processId && d.State == DefinitionState.Draft, cancellationToken);
        return row?.BpmnXml;
    }

    private async Task<ProcessVersionInfo> DeployAsync(string xml, string processId, Guid? draftId, string? changeNote, string? userId, CancellationToken cancellationToken)
    {
        var parsed = BpmnParser.Parse(xml);
        EfDefinitionRepository.CurrentPublish = new EfDefinitionRepository.PublishRequest(processId, draftId, changeNote);
        try
        {
            var deployed = await engine.DeployAsync(parsed, userId, cancellationToken);
            var info = deployed.FirstOrDefault(d => d.ProcessId == processId)
                ?? throw new WorkflowNotFoundException("process", processId);
            var row = await FindAsync(d => d.ProcessId == processId && d.Version == info.Version, cancellationToken);
            return ToInfo(row!);
        }
        finally
        {
            EfDefinitionRepository.CurrentPublish = null;
        }
    }

    private async Task<DefinitionEntity?> FindAsync(System.Linq.Expressions.Expression<Func<DefinitionEntity, bool>> filter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        return await db.Definitions.AsNoTracking().FirstOrDefaultAsync(filter, cancellationToken);
    }

    internal static ProcessVersionInfo ToInfo(DefinitionEntity d) => new(
        d.Id, d.ProcessId, d.Version, d.State, d.Name, d.CreatedAt, d.CreatedBy, d.PublishedAt, d.PublishedBy, d.ChangeNote, d.RetiredAt, d.RetiredBy,
        d.ValidationProblems is null ? [] : JsonSerializer.Deserialize<List<ValidationProblem>>(d.ValidationProblems) ?? []);
}

/// <summary>The draft an editor started from: its XML as stored then, or null when the process had no draft.</summary>
public sealed record DraftBase(string ProcessId, string? Xml);
