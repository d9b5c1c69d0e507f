using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Trail;

/// <summary>
/// Every node of an installation must key the trail alike: a node with a key of its own (its own keys folder, no shared
/// <c>Trail:HashKey</c>) would write records that the other nodes, the supervision pages and <c>verify-trail</c> report as
/// broken. At start, after the schema upgrade, the node records its current key's id when none is recorded, moves the
/// record on when its ring holds the recorded key as a previous one (a key change being rolled out), and otherwise
/// refuses to start, saying what to share.
/// </summary>
public static class TrailKeyCheck
{
    public const string RowName = "current";

    public static async Task EnsureAsync(AppDbContext db, TrailKeyRing ring, TimeProvider time, CancellationToken cancellationToken = default)
    {
        if (ring.Current is not { } current)
        {
            return;
        }

        var now = time.GetUtcNow().UtcTicks;
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "TrailKeyInUse" ("Name", "KeyId", "SinceTicks") VALUES ({RowName}, {current.Id}, {now}) ON CONFLICT ("Name") DO NOTHING""",
            cancellationToken);
        var recorded = await db.TrailKeyInUse.AsNoTracking().Where(k => k.Name == RowName).Select(k => k.KeyId).SingleAsync(cancellationToken);
        if (recorded == current.Id)
        {
            return;
        }

        if (ring.Find(recorded) is not null)
        {
            await db.Database.ExecuteSqlAsync(
                $"""UPDATE "TrailKeyInUse" SET "KeyId" = {current.Id}, "SinceTicks" = {now} WHERE "Name" = {RowName} AND "KeyId" = {recorded}""",
                cancellationToken);
            return;
        }

        throw new InvalidOperationException(
            $"This node's trail key (id {current.Id}) is neither the key this installation's trail is written with (id {recorded}) " +
            "nor one of its previous keys: the records it wrote could not be verified. Every app node must use the same key: " +
            $"give the nodes one keys folder (Storage:KeysFolder, which holds {TrailKeyFile.FileName} and the sign-in key ring) " +
            "or the same Trail:HashKey; after changing the key, list the old one in Trail:PreviousHashKeys.");
    }
}
