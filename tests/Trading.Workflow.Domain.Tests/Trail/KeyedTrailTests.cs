using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Trail;

/// <summary>Trail hashes keyed with HMAC-SM3: someone who can write the database but has not the key cannot recompute the chain.</summary>
public sealed class KeyedTrailTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TrailKey Key = TrailKey.FromBase64(TrailKey.GenerateBase64())!;
    private static readonly TrailKey OtherKey = TrailKey.FromBase64(TrailKey.GenerateBase64())!;

    private static List<AuditEntry> Chain(int count, TrailKey? key, List<AuditEntry>? before = null)
    {
        var entries = before is null ? new List<AuditEntry>() : [.. before];
        for (var i = 0; i < count; i++)
        {
            entries.Add(AuditChain.Append(entries.LastOrDefault(), At.AddMinutes(entries.Count), "staff", null, "entity", $"e{entries.Count}", "market.entity.approved", "{}", key));
        }

        return entries;
    }

    [Fact]
    public void Verify_AKeyedChainWithItsKey_IsIntact_AndRecordsNameTheKey()
    {
        var entries = Chain(4, Key);

        var result = AuditChain.Verify(entries, new TrailKeyRing(Key));

        Assert.True(result.IsIntact);
        Assert.Equal(4, result.CheckedCount);
        Assert.All(entries, e => Assert.Equal(Key.Id, e.KeyId));
        Assert.Equal(16, Key.Id.Length);
    }

    [Fact]
    public void Verify_AnEditedRecordRehashedWithAnotherKey_IsReportedAsChanged()
    {
        var entries = Chain(3, Key);
        // The writer edits record 2 and recomputes its hash and the next link with a key of their own, under the real key's id.
        var forged = AuditChain.Append(entries[0], entries[1].OccurredAt, "mallory", null, "entity", "e1", "market.entity.approved", "{}", OtherKey) with { KeyId = Key.Id };
        entries[1] = forged;
        entries[2] = entries[2] with { PreviousHash = forged.Hash };

        var result = AuditChain.Verify(entries, new TrailKeyRing(Key));

        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Equal(ChainBreak.ContentChanged, result.Break);
    }

    [Fact]
    public void Verify_AChainRewrittenWholeWithoutTheKey_IsReportedAsUnkeyed()
    {
        var keyed = Chain(3, Key);
        // Every record rewritten as an unkeyed SM3 chain, which anyone can compute, with one record's actor changed.
        var rewritten = new List<AuditEntry>();
        foreach (var actor in new[] { "staff", "mallory", "staff" })
        {
            rewritten.Add(AuditChain.Append(rewritten.LastOrDefault(), At, actor, null, "entity", "e", "market.entity.approved", "{}"));
        }

        Assert.True(AuditChain.Verify(keyed, new TrailKeyRing(Key)).IsIntact);
        var result = AuditChain.Verify(rewritten, new TrailKeyRing(Key));

        Assert.False(result.IsIntact);
        Assert.Equal(ChainBreak.Unkeyed, result.Break);
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_AnUnkeyedRecordAfterAKeyedOne_IsReportedAsUnkeyed()
    {
        var entries = Chain(2, Key);
        entries = Chain(1, key: null, entries);
        entries = Chain(1, Key, entries);

        var result = AuditChain.Verify(entries, new TrailKeyRing(Key));

        Assert.Equal(ChainBreak.Unkeyed, result.Break);
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_UnkeyedRecordsBeforeTheFirstKeyedOne_StillVerify()
    {
        var entries = Chain(3, key: null);
        entries = Chain(2, Key, entries);

        Assert.True(AuditChain.Verify(entries, new TrailKeyRing(Key)).IsIntact);
        Assert.True(AuditChain.Verify(Chain(3, key: null)).IsIntact);
    }

    [Fact]
    public void Verify_WithoutTheKey_ReportsKeyUnavailable_AndAnOldKeyStillVerifiesItsRecords()
    {
        var entries = Chain(2, OtherKey);
        entries = Chain(2, Key, entries);

        var withoutKey = AuditChain.Verify(entries);
        var afterRotation = AuditChain.Verify(entries, new TrailKeyRing(Key, [OtherKey]));

        Assert.Equal(ChainBreak.KeyUnavailable, withoutKey.Break);
        Assert.Equal(1, withoutKey.FirstBrokenSequence);
        Assert.True(afterRotation.IsIntact);
    }

    [Fact]
    public void FromBase64_RefusesShortOrMalformedKeys()
    {
        Assert.Null(TrailKey.FromBase64(Convert.ToBase64String(new byte[31])));
        Assert.Null(TrailKey.FromBase64("not base64 at all"));
        Assert.NotNull(TrailKey.FromBase64(Convert.ToBase64String(new byte[32])));
        Assert.Throws<InvalidOperationException>(() => TrailKeyRing.From(new TrailOptions { HashKey = "c2hvcnQ=" }));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_trail_from_before_its_key_is_adopted_once_and_then_verifies_only_with_the_key(DatabaseProvider provider)
    {
        await using var unkeyed = await TradingDatabaseHost.StartAsync(provider);
        await AppendAsync(unkeyed, 2);
        var keyedTrail = new AuditTrail(TimeProvider.System, new TrailKeyRing(Key));

        var adopted = await keyedTrail.AdoptKeyAsync(unkeyed.Database);
        var again = await keyedTrail.AdoptKeyAsync(unkeyed.Database);
        await using (var db = unkeyed.Database.Create())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await keyedTrail.AppendAsync(db, new AuditRecord("staff", null, "entity", "e9", "market.entity.approved"));
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        Assert.NotNull(adopted);
        Assert.Null(again);
        Assert.Equal(3, adopted.Sequence);
        Assert.Equal(AuditTrail.KeyAdopted, adopted.Action);
        await using var read = unkeyed.Database.Create();
        var entries = await read.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal([null, null, Key.Id, Key.Id], entries.Select(e => e.KeyId));
        Assert.True((await AuditTrailVerifier.VerifyAsync(read, new TrailKeyRing(Key))).IsIntact);
        Assert.Equal(ChainBreak.KeyUnavailable, (await AuditTrailVerifier.VerifyAsync(read, TrailKeyRing.None)).Break);

        // Rewriting the keyed records as unkeyed ones (hash recomputed by SM3) is found.
        var forged = AuditChain.Append(entries[1], entries[2].OccurredAt, entries[2].Actor, null, entries[2].SubjectType, entries[2].SubjectId, entries[2].Action, entries[2].Data);
        var forgedLast = AuditChain.Append(forged, entries[3].OccurredAt, entries[3].Actor, null, entries[3].SubjectType, entries[3].SubjectId, entries[3].Action, entries[3].Data);
        await using (var edit = unkeyed.Database.Create())
        {
            // The writer also drops the head, so only the keys can tell.
            await TrailTampering.ExecuteAsync(edit, "DELETE FROM tr_audit_entries WHERE sequence >= 3; DELETE FROM tr_audit_head");
            edit.AddRange(forged, forgedLast);
            await edit.SaveChangesAsync();
        }

        var result = await AuditTrailVerifier.VerifyAsync(read, new TrailKeyRing(Key));
        Assert.Equal(ChainBreak.Unkeyed, result.Break);
        Assert.Equal(4, result.FirstBrokenSequence);
    }

    private static async Task AppendAsync(TradingDatabaseHost host, int count)
    {
        var trail = host.Services.GetRequiredService<IAuditTrail>();
        await using var db = host.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        for (var i = 0; i < count; i++)
        {
            await trail.AppendAsync(db, new AuditRecord("staff", null, "entity", $"e{i}", "market.entity.approved"));
        }

        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }
}
