using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Notices;

/// <summary>
/// The notice review procedure is started per notice with the notice id as business key: its tasks belong to the
/// notice's project (offered to, listed for and opened by that project's parties only).
/// </summary>
public sealed class NoticeKeys(ITradingDatabase database) : IBusinessKeyProjects
{
    private const string GuidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    public async Task<string?> ProjectCodeAsync(string businessKey, CancellationToken cancellationToken = default)
    {
        if (!Guid.TryParseExact(businessKey, "D", out var id))
        {
            return null;
        }

        await using var db = database.Create();
        return await db.Set<Notice>().AsNoTracking().Where(n => n.Id == id).Select(n => n.ProjectCode).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, string>> ProjectCodesAsync(IReadOnlyCollection<string> businessKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(businessKeys);
        var ids = new Dictionary<Guid, string>();
        foreach (var key in businessKeys)
        {
            if (Guid.TryParseExact(key, "D", out var id))
            {
                ids[id] = key;
            }
        }

        if (ids.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        await using var db = database.Create();
        var keys = ids.Keys.ToList();
        var notices = await db.Set<Notice>().AsNoTracking().Where(n => keys.Contains(n.Id) && n.ProjectCode != "")
            .Select(n => new { n.Id, n.ProjectCode }).ToListAsync(cancellationToken);
        return notices.ToDictionary(n => ids[n.Id], n => n.ProjectCode, StringComparer.Ordinal);
    }

    // The review's key is the id as Guid.ToString() writes it (lower case); SQLite stores ids as upper-case text.
    public string? ProjectKeysSql(DatabaseProvider provider, Func<string, string> codeCondition) => provider == DatabaseProvider.Sqlite
        ? $"SELECT lower(n.\"id\") FROM \"tr_notices\" n WHERE {codeCondition("n.\"project_code\"")}"
        : $"SELECT CAST(n.\"id\" AS text) FROM \"tr_notices\" n WHERE {codeCondition("n.\"project_code\"")}";

    // SQLite stores ids as upper-case text (EF Core's default); PostgreSQL as uuid, cast only from a key shaped like one.
    public string ProjectCodeSql(DatabaseProvider provider, string keyExpression) => provider == DatabaseProvider.Sqlite
        ? $"(SELECT n.\"project_code\" FROM \"tr_notices\" n WHERE n.\"id\" = upper({keyExpression}))"
        : $"(SELECT n.\"project_code\" FROM \"tr_notices\" n WHERE n.\"id\" = CASE WHEN {keyExpression} ~ '{GuidPattern}' THEN CAST({keyExpression} AS uuid) END)";
}
