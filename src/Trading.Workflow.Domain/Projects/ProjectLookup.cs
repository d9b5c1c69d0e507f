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
    /// <summary>
    /// The project (with its sections, untracked) whose code is a procedure's business key, read through the caller's
    /// context (a service-task handler passes its command's); a key without a project is refused with
    /// <paramref name="ruleCode"/>, the calling part's own rule.
    /// </summary>
    public static async Task<Project> RequireByBusinessKeyAsync(TradingDbContext db, string? businessKey, string ruleCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(ruleCode);
        return await db.Set<Project>().AsNoTracking().Include(p => p.Sections).FirstOrDefaultAsync(p => p.Code == businessKey, cancellationToken)
               ?? throw new DomainRuleException(ruleCode, $"No project has the code '{businessKey}' (the instance's business key).");
    }

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
