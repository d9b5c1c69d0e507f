using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Access;

/// <summary>
/// What project a procedure instance's business key belongs to. The project scope of tasks and instances is read
/// from the business key; each part whose procedures are started with a key of its own registers one of these (with
/// <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IBusinessKeyProjects, T&gt;())</c>): the projects part
/// maps a project code to itself, the notices part a notice id to the notice's project. A key no resolver maps
/// belongs to no project (the caller keeps its own rules for it).
/// </summary>
public interface IBusinessKeyProjects
{
    /// <summary>The code of the project the key belongs to; null when this resolver does not map it.</summary>
    Task<string?> ProjectCodeAsync(string businessKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same mapping for list queries filtered in the database: a scalar SQL expression giving the project code of
    /// the business key in <paramref name="keyExpression"/> (a column such as <c>t."business_key"</c>), or NULL.
    /// </summary>
    string ProjectCodeSql(DatabaseProvider provider, string keyExpression);

    /// <summary>
    /// The reverse, for filters by project code: a query (one text column) of the keys this resolver maps to a project
    /// whose code column meets <paramref name="codeCondition"/>; null when its keys are the codes themselves.
    /// </summary>
    string? ProjectKeysSql(DatabaseProvider provider, Func<string, string> codeCondition);

    /// <summary>
    /// The project codes of several keys at once (a page of a list), in one read; the keys this resolver does not
    /// map are left out.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> ProjectCodesAsync(IReadOnlyCollection<string> businessKeys, CancellationToken cancellationToken = default);
}

/// <summary>The projects part's mapping: a business key that is a project code names that project.</summary>
public sealed class ProjectCodeKeys(IProjectDirectory projects, ITradingDatabase database) : IBusinessKeyProjects
{
    public async Task<string?> ProjectCodeAsync(string businessKey, CancellationToken cancellationToken = default) =>
        await projects.FindByCodeAsync(businessKey, cancellationToken) is { } project ? project.Code : null;

    public string ProjectCodeSql(DatabaseProvider provider, string keyExpression) =>
        $"(SELECT p.\"code\" FROM \"tr_projects\" p WHERE p.\"code\" = {keyExpression})";

    // The key is the code: a filter on the key finds it.
    public string? ProjectKeysSql(DatabaseProvider provider, Func<string, string> codeCondition) => null;

    public async Task<IReadOnlyDictionary<string, string>> ProjectCodesAsync(IReadOnlyCollection<string> businessKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(businessKeys);
        if (businessKeys.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        await using var db = database.Create();
        var codes = await db.Set<Project>().AsNoTracking().Where(p => businessKeys.Contains(p.Code)).Select(p => p.Code).ToListAsync(cancellationToken);
        return codes.ToDictionary(c => c, c => c, StringComparer.Ordinal);
    }
}

/// <summary>Combines the registered resolvers (the first that maps a key wins).</summary>
public static class BusinessKeyProjects
{
    public static async Task<string?> ProjectCodeAsync(IEnumerable<IBusinessKeyProjects> resolvers, string? businessKey, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(businessKey))
        {
            return null;
        }

        foreach (var resolver in resolvers)
        {
            if (await resolver.ProjectCodeAsync(businessKey, cancellationToken) is { } code)
            {
                return code;
            }
        }

        return null;
    }

    /// <summary>
    /// The project codes of the keys (a page of tasks or instances), each key asked of the resolvers in order until one
    /// maps it; keys of no project are left out.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> ProjectCodesAsync(
        IEnumerable<IBusinessKeyProjects> resolvers, IEnumerable<string?> businessKeys, CancellationToken cancellationToken = default)
    {
        var left = businessKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k!).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resolver in resolvers)
        {
            if (left.Count == 0)
            {
                break;
            }

            foreach (var (key, code) in await resolver.ProjectCodesAsync(left, cancellationToken))
            {
                found[key] = code;
                left.Remove(key);
            }
        }

        return found;
    }

    /// <summary>A query of the keys that belong to a project whose code meets the condition without being it; null when there are none.</summary>
    public static string? ProjectKeysSql(IEnumerable<IBusinessKeyProjects> resolvers, DatabaseProvider provider, Func<string, string> codeCondition)
    {
        var parts = resolvers.Select(r => r.ProjectKeysSql(provider, codeCondition)).OfType<string>().ToList();
        return parts.Count == 0 ? null : string.Join(" UNION ALL ", parts);
    }

    /// <summary>A scalar SQL expression giving the project code of the key, or NULL when it belongs to no project.</summary>
    public static string ProjectCodeSql(IEnumerable<IBusinessKeyProjects> resolvers, DatabaseProvider provider, string keyExpression)
    {
        var parts = resolvers.Select(r => r.ProjectCodeSql(provider, keyExpression)).ToList();
        return parts.Count switch
        {
            0 => "CAST(NULL AS text)",
            1 => parts[0],
            _ => $"COALESCE({string.Join(", ", parts)})",
        };
    }
}
