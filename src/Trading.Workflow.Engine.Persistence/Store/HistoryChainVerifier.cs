using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Data;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>The walk of every instance's history chain: how many were checked and the first break of each broken one.</summary>
public sealed record HistoryChainSummary(long InstancesChecked, long RowsChecked, long UnchainedRows, IReadOnlyList<HistoryChainReport> Broken, bool BrokenListCapped)
{
    public bool IsIntact => Broken.Count == 0;
}

/// <summary>
/// Checks the engine's history chains (see <see cref="HistoryChain"/>) against the rows as stored now: one instance
/// for the viewer, or every instance for the verifier (CLI and the supervisors' page), reading a page of instances
/// at a time. Rows are judged under the database's keys (<see cref="WorkflowDatabase.HistoryKeys"/>) and its record of
/// when keyed chaining began (<see cref="HistoryKeyRecords"/>).
/// </summary>
public sealed class HistoryChainVerifier(WorkflowDatabase database)
{
    private const int PageSize = 200;

    /// <summary>The instance's chain; null when there is no such instance.</summary>
    public async Task<HistoryChainReport?> VerifyInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        var instance = await db.Instances.AsNoTracking()
            .Where(i => i.Id == instanceId)
            .Select(i => new { i.Id, i.HistoryLength, i.HistoryHead })
            .FirstOrDefaultAsync(cancellationToken);
        if (instance is null)
        {
            return null;
        }

        var policy = await HistoryKeyRecords.ReadPolicyAsync(connection, database.HistoryKeys, cancellationToken);
        var rows = await db.History.AsNoTracking().Where(h => h.InstanceId == instanceId).OrderBy(h => h.Sequence).ToListAsync(cancellationToken);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == instanceId).ToListAsync(cancellationToken);
        return HistoryChain.Verify(instanceId, rows, instance.HistoryLength, instance.HistoryHead, tasks, policy);
    }

    /// <summary>Every instance's chain, a page of instances at a time; reports at most <paramref name="maxBroken"/> breaks.</summary>
    public async Task<HistoryChainSummary> VerifyAllAsync(int maxBroken = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBroken, 1);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        var policy = await HistoryKeyRecords.ReadPolicyAsync(connection, database.HistoryKeys, cancellationToken);
        var broken = new List<HistoryChainReport>();
        long instances = 0, rows = 0, unchained = 0;
        var capped = false;
        for (var skip = 0; ; skip += PageSize)
        {
            var page = await db.Instances.AsNoTracking().OrderBy(i => i.Id).Skip(skip).Take(PageSize)
                .Select(i => new { i.Id, i.HistoryLength, i.HistoryHead })
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            var ids = page.Select(i => i.Id).ToList();
            var history = (await db.History.AsNoTracking().Where(h => ids.Contains(h.InstanceId)).OrderBy(h => h.Sequence).ToListAsync(cancellationToken))
                .ToLookup(h => h.InstanceId);
            var tasks = (await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.InstanceId)).ToListAsync(cancellationToken))
                .ToLookup(t => t.InstanceId);
            foreach (var instance in page)
            {
                var report = HistoryChain.Verify(instance.Id, history[instance.Id], instance.HistoryLength, instance.HistoryHead, tasks[instance.Id].ToList(), policy);
                instances++;
                rows += report.CheckedCount;
                unchained += report.UnchainedRows;
                if (!report.IsIntact)
                {
                    if (broken.Count < maxBroken)
                    {
                        broken.Add(report);
                    }
                    else
                    {
                        capped = true;
                    }
                }
            }
        }

        return new HistoryChainSummary(instances, rows, unchained, broken, capped);
    }
}
