using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Export;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Engine.Persistence.Versions;

/// <summary>
/// Process versions in wf_definitions: the BPMN XML of each version with its state (draft, published, retired).
/// "Latest" is the newest published version; retired versions still load for the instances that run on them.
/// Parsed models are cached per (process id, version): a published version's XML never changes. Its state does
/// (retire), so the state is not cached for <see cref="GetLatestAsync"/> and <see cref="IsRetiredAsync"/>, which read
/// the table each time. A start by process id alone takes the latest as this repository last read it
/// (<see cref="GetLatestForStartAsync"/>): its commit checks that the version is still the latest published one.
/// </summary>
public sealed class EfDefinitionRepository(WorkflowDatabase database, IServiceTaskHandlerCatalog? handlers = null) : IDefinitionRepository
{
    private static readonly AsyncLocal<PublishRequest?> AmbientPublish = new();
    private readonly ConcurrentDictionary<(string, int), DeployedProcess> _models = new();
    private readonly ConcurrentDictionary<string, DeployedProcess> _latestForStart = new(StringComparer.Ordinal);

    /// <summary>Set by <see cref="ProcessVersionService"/> around a deploy so the new version carries its note (and replaces the draft).</summary>
    internal static PublishRequest? CurrentPublish
    {
        get => AmbientPublish.Value;
        set => AmbientPublish.Value = value;
    }

    public async ValueTask<DeployedProcess> AddAsync(ProcessModel process, DateTimeOffset deployedAt, string? deployedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        var publish = CurrentPublish;
        var xml = BpmnExporter.Export(process.Definitions);
        var problems = Validate(process.Definitions);
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var db = database.CreateContext(connection, transaction);
            var version = 1 + (await db.Definitions.Where(d => d.ProcessId == process.Id && d.Version != null).MaxAsync(d => d.Version, cancellationToken) ?? 0);
            var draft = publish?.DraftId is { } draftId && publish.ProcessId == process.Id
                ? await db.Definitions.FirstOrDefaultAsync(d => d.Id == draftId && d.State == DefinitionState.Draft, cancellationToken)
                : null;
            var row = draft ?? new DefinitionEntity
            {
                Id = Guid.CreateVersion7(deployedAt),
                ProcessId = process.Id,
                BpmnXml = xml,
                CreatedAt = deployedAt,
                CreatedBy = deployedBy,
            };
            row.Version = version;
            row.State = DefinitionState.Published;
            row.Name = process.Name;
            row.BpmnXml = xml;
            row.ValidationProblems = JsonSerializer.Serialize(problems);
            row.HasErrors = problems.HasErrors();
            row.PublishedAt = deployedAt;
            row.PublishedBy = deployedBy;
            row.ChangeNote = publish?.ProcessId == process.Id || publish?.ProcessId is null ? publish?.ChangeNote : null;
            if (draft is null)
            {
                db.Definitions.Add(row);
            }
            else
            {
                db.Definitions.Update(row);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                // Another process published the same version number at the same moment: take the next one.
                continue;
            }

            var deployed = new DeployedProcess(process, version, deployedAt, deployedBy);
            _models[(process.Id, version)] = deployed;
            ForgetLatest(process.Id);
            return deployed;
        }
    }

    // Every start asks: one indexed query on plain ADO.NET (no EF query pipeline or context per start).
    public async ValueTask<DeployedProcess?> GetLatestAsync(string processId, CancellationToken cancellationToken = default)
    {
        object? version;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            version = await StatementBatch.ScalarAsync(
                database.Provider, connection, null,
                $"SELECT MAX(\"version\") FROM \"wf_definitions\" WHERE \"process_id\" = {{0}} AND \"state\" = {(int)DefinitionState.Published}",
                [processId], cancellationToken);
        }

        return version is null ? null : await GetAsync(processId, Convert.ToInt32(version, System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
    }

    public async ValueTask<DeployedProcess?> GetLatestForStartAsync(string processId, CancellationToken cancellationToken = default)
    {
        if (_latestForStart.TryGetValue(processId, out var kept))
        {
            return kept;
        }

        var latest = await GetLatestAsync(processId, cancellationToken);
        if (latest is not null)
        {
            _latestForStart[processId] = latest;
        }

        return latest;
    }

    public void ForgetLatest(string processId) => _latestForStart.TryRemove(processId, out _);

    public async ValueTask<DeployedProcess?> GetAsync(string processId, int version, CancellationToken cancellationToken = default)
    {
        if (_models.TryGetValue((processId, version), out var cached))
        {
            return cached;
        }

        var row = await QueryAsync(
            db => db.Definitions.AsNoTracking()
                .FirstOrDefaultAsync(d => d.ProcessId == processId && d.Version == version && d.State != DefinitionState.Draft, cancellationToken),
            cancellationToken);
        if (row?.PublishedAt is not { } publishedAt)
        {
            return null;
        }

        var model = BpmnParser.Parse(row.BpmnXml).FindProcess(processId);
        if (model is null)
        {
            return null;
        }

        return _models.GetOrAdd((processId, version), new DeployedProcess(model, version, publishedAt, row.PublishedBy));
    }

    // Not cached: the state of a version changes (retire) and another process may change it.
    public async ValueTask<bool> IsRetiredAsync(string processId, int version, CancellationToken cancellationToken = default) =>
        await QueryAsync(
            db => db.Definitions.AsNoTracking()
                .AnyAsync(d => d.ProcessId == processId && d.Version == version && d.State == DefinitionState.Retired, cancellationToken),
            cancellationToken);

    public async ValueTask<IReadOnlyList<DeployedProcess>> GetAllLatestAsync(CancellationToken cancellationToken = default)
    {
        var latest = await QueryAsync(
            db => db.Definitions.AsNoTracking()
                .Where(d => d.State == DefinitionState.Published)
                .GroupBy(d => d.ProcessId)
                .Select(g => new { ProcessId = g.Key, Version = g.Max(d => d.Version) })
                .ToListAsync(cancellationToken),
            cancellationToken);
        var result = new List<DeployedProcess>(latest.Count);
        foreach (var row in latest.OrderBy(r => r.ProcessId, StringComparer.Ordinal))
        {
            if (row.Version is { } v && await GetAsync(row.ProcessId, v, cancellationToken) is { } deployed)
            {
                result.Add(deployed);
            }
        }

        return result;
    }

    internal IReadOnlyList<ValidationProblem> Validate(BpmnDefinitions definitions) =>
        BpmnValidator.Validate(definitions, new ValidationContext
        {
            KnownHandlers = handlers is null ? null : new HashSet<string>(handlers.Handlers.Keys, StringComparer.Ordinal),
        });

    private async Task<T> QueryAsync<T>(Func<WorkflowDbContext, Task<T>> query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        return await query(db);
    }

    internal sealed record PublishRequest(string? ProcessId, Guid? DraftId, string? ChangeNote);
}
