using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Versions;

namespace Trading.Workflow.Web.Designer;

/// <summary><see cref="IProcedureCatalog"/> over the durable store's <see cref="ProcessVersionService"/>.</summary>
public sealed class ProcedureCatalog(ProcessVersionService versions, WorkflowDatabase database) : IProcedureCatalog
{
    public async Task<IReadOnlyList<ProcedureSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        var rows = await db.Definitions.AsNoTracking()
            .Select(d => new { d.ProcessId, d.Name, d.Version, d.State })
            .ToListAsync(cancellationToken);
        return rows
            .GroupBy(r => r.ProcessId, StringComparer.Ordinal)
            .Select(g =>
            {
                var draft = g.FirstOrDefault(r => r.State == DefinitionState.Draft);
                var latest = g.Where(r => r.Version is not null).OrderByDescending(r => r.Version).FirstOrDefault();
                return new ProcedureSummary(
                    g.Key,
                    draft?.Name ?? latest?.Name,
                    latest?.Version,
                    draft is not null,
                    g.Count(r => r.State == DefinitionState.Published));
            })
            .OrderBy(s => s.ProcessId, StringComparer.Ordinal)
            .ToList();
    }

    public Task<IReadOnlyList<ProcessVersionInfo>> GetVersionsAsync(string processId, CancellationToken cancellationToken = default) =>
        versions.GetVersionsAsync(processId, cancellationToken);

    public Task<string?> GetXmlAsync(string processId, int? version, CancellationToken cancellationToken = default) =>
        versions.GetXmlAsync(processId, version, cancellationToken);

    public Task SaveDraftAsync(string xml, string? userId, CancellationToken cancellationToken = default) =>
        versions.SaveDraftAsync(xml, userId, cancellationToken);

    public async Task<int> PublishAsync(string processId, string? userId, string? changeNote, CancellationToken cancellationToken = default) =>
        (await versions.PublishAsync(processId, userId, changeNote, cancellationToken)).Version ?? 0;

    public Task RetireAsync(string processId, int version, string? userId, CancellationToken cancellationToken = default) =>
        versions.RetireAsync(processId, version, userId, cancellationToken);

    public async Task<int> RepublishAsync(string processId, int version, string? userId, string? changeNote, CancellationToken cancellationToken = default) =>
        (await versions.RepublishAsync(processId, version, userId, changeNote, cancellationToken)).Version ?? 0;
}
