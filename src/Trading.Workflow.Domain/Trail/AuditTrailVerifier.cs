using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Trail;

/// <summary>
/// Walks the stored trail in sequence order, a page at a time, and reports the first record that does not hold (an
/// edited, deleted or reordered record) or a chain that ends before its head (its last records deleted).
/// </summary>
public sealed class AuditTrailVerifier(ITradingDatabase database, TrailKeyRing keys)
{
    private const int PageSize = 1000;

    public async Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await VerifyAsync(db, keys, cancellationToken);
    }

    public static async Task<ChainVerification> VerifyAsync(TradingDbContext db, TrailKeyRing keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var walk = new AuditChain.ChainWalk(keys);
        long after = 0;
        while (true)
        {
            var page = await db.Set<AuditEntry>().AsNoTracking()
                .Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(PageSize)
                .ToListAsync(cancellationToken);
            foreach (var entry in page)
            {
                if (!walk.Check(entry))
                {
                    return walk.Result();
                }
            }

            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].Sequence;
        }

        var head = await db.Set<AuditHead>().AsNoTracking().FirstOrDefaultAsync(h => h.Chain == AuditHead.TradeChain, cancellationToken);
        return walk.Result(head?.Length, head?.Hash);
    }
}
