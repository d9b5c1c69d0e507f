using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Projects;

/// <summary>
/// Finds the project behind a procedure instance by the instance's business key (the project code), for the inbox,
/// the instance viewer and anything else that shows an instance: the project's code, name and link, not only the
/// instance. A key of another part's own (a notice review's notice id) names the project the registered
/// <see cref="IBusinessKeyProjects"/> map it to. Says nothing about who may open the project: its page checks that.
/// </summary>
public sealed class ProjectLookup(ITradingDatabase database, IEnumerable<IBusinessKeyProjects>? keys = null)
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

    /// <summary>
    /// The projects of the given business keys, keyed by business key: a project code, or a key a registered part maps
    /// to its project; keys of no project are left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ProjectLink>> FindByCodesAsync(IEnumerable<string?> businessKeys, CancellationToken cancellationToken = default)
    {
        var wanted = businessKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k!).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<string, ProjectLink>(StringComparer.Ordinal);
        }

        // A key no part maps may still be a project code (the projects part's own mapping may not be registered).
        var codeOf = wanted.ToDictionary(k => k, k => k, StringComparer.Ordinal);
        foreach (var (key, code) in await BusinessKeyProjects.ProjectCodesAsync(keys ?? [], wanted, cancellationToken))
        {
            codeOf[key] = code;
        }

        var codes = codeOf.Values.Distinct(StringComparer.Ordinal).ToList();

        await using var db = database.Create();
        var links = (await db.Set<Project>().AsNoTracking()
                .Where(p => codes.Contains(p.Code))
                .Select(p => new ProjectLink(p.Id, p.Code, p.Name, p.CentreId, p.TradeType, p.State))
                .ToListAsync(cancellationToken))
            .ToDictionary(l => l.Code, StringComparer.Ordinal);
        return codeOf.Where(k => links.ContainsKey(k.Value)).ToDictionary(k => k.Key, k => links[k.Value], StringComparer.Ordinal);
    }
}
