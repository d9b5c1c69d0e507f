using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Projects;

/// <summary>
/// Finds the project behind a procedure instance by the instance's business key (the project code), for the inbox,
/// the instance viewer and anything else that shows an instance: the project's code, name and link, not only the
/// instance. Says nothing about who may open the project: its page checks that.
/// </summary>
public sealed class ProjectLookup(ITradingDatabase database)
{
    public async Task<ProjectLink?> FindByCodeAsync(string? businessKey, CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(businessKey)
            ? null
            : (await FindByCodesAsync([businessKey], cancellationToken)).GetValueOrDefault(businessKey);

    /// <summary>The projects of the given business keys that are project codes; keys without a project are left out.</summary>
    public async Task<IReadOnlyDictionary<string, ProjectLink>> FindByCodesAsync(IEnumerable<string?> businessKeys, CancellationToken cancellationToken = default)
    {
        var codes = businessKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k!).Distinct(StringComparer.Ordinal).ToList();
        if (codes.Count == 0)
        {
            return new Dictionary<string, ProjectLink>(StringComparer.Ordinal);
        }

        await using var db = database.Create();
        var links = await db.Set<Project>().AsNoTracking()
            .Where(p => codes.Contains(p.Code))
            .Select(p => new ProjectLink(p.Id, p.Code, p.Name, p.CentreId, p.TradeType, p.State))
            .ToListAsync(cancellationToken);
        return links.ToDictionary(l => l.Code, StringComparer.Ordinal);
    }
}
