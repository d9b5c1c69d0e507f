using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Trail;

/// <summary>Changes made around the application, as a database owner could: on PostgreSQL past the append-only triggers.</summary>
internal static class TrailTampering
{
    public static async Task ExecuteAsync(TradingDbContext db, string sql)
    {
        if (db.Database.IsNpgsql())
        {
            sql = $"ALTER TABLE tr_audit_entries DISABLE TRIGGER USER; ALTER TABLE tr_audit_head DISABLE TRIGGER USER; {sql}; "
                + "ALTER TABLE tr_audit_entries ENABLE TRIGGER USER; ALTER TABLE tr_audit_head ENABLE TRIGGER USER;";
        }

        await db.Database.ExecuteSqlRawAsync(sql);
    }
}

/// <summary>The stored trail: one chain under concurrent writers, the verifier's findings, the PostgreSQL triggers.</summary>
public sealed class TrailChainTests
{
    private static async Task AppendAsync(TradingDatabaseHost host, int count, string actor = "staff")
    {
        var trail = host.Services.GetRequiredService<IAuditTrail>();
        for (var i = 0; i < count; i++)
        {
            await using var db = host.Database.Create();
            await using var tx = await db.Database.BeginTransactionAsync();
            await trail.AppendAsync(db, new AuditRecord(actor, null, "document", $"d{i}", "documents.document.downloaded", new { documentId = i }));
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }
    }

    private static Task<ChainVerification> VerifyAsync(TradingDatabaseHost host) =>
        host.Services.GetRequiredService<AuditTrailVerifier>().VerifyAsync();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ConcurrentWriters_EachInItsOwnTransaction_KeepOneIntactChain(DatabaseProvider provider)
    {
        await using var host = await TradingDatabaseHost.StartAsync(provider);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() => AppendAsync(host, 10, $"writer{w}"))));

        var verification = await VerifyAsync(host);
        Assert.True(verification.IsIntact, verification.ToString());
        Assert.Equal(40, verification.CheckedCount);
        await using var db = host.Database.Create();
        var head = await db.Set<AuditHead>().SingleAsync();
        Assert.Equal(40, head.Length);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task DeletedRecordInTheMiddle_ReportsTheMissingSequence(DatabaseProvider provider)
    {
        await using var host = await TradingDatabaseHost.StartAsync(provider);
        await AppendAsync(host, 5);
        await using (var db = host.Database.Create())
        {
            await TrailTampering.ExecuteAsync(db, "DELETE FROM tr_audit_entries WHERE sequence = 3");
        }

        var verification = await VerifyAsync(host);

        Assert.False(verification.IsIntact);
        Assert.Equal(ChainBreak.SequenceGap, verification.Break);
        Assert.Equal(3, verification.FirstBrokenSequence);
    }

    [Fact]
    public async Task DeletedLastRecord_ReportsTruncated_AndStaysReportedAfterTheNextAppend()
    {
        await using var host = await TradingDatabaseHost.StartAsync(DatabaseProvider.Sqlite);
        await AppendAsync(host, 4);
        await using (var db = host.Database.Create())
        {
            await TrailTampering.ExecuteAsync(db, "DELETE FROM tr_audit_entries WHERE sequence = 4");
        }

        var truncated = await VerifyAsync(host);
        await AppendAsync(host, 1);
        var afterAppend = await VerifyAsync(host);

        Assert.Equal(ChainBreak.Truncated, truncated.Break);
        Assert.Equal(4, truncated.FirstBrokenSequence);
        Assert.Equal(ChainBreak.SequenceGap, afterAppend.Break);
        Assert.Equal(4, afterAppend.FirstBrokenSequence);
    }

    [Theory]
    [InlineData("UPDATE tr_audit_entries SET actor = 'someone'")]
    [InlineData("DELETE FROM tr_audit_entries")]
    [InlineData("TRUNCATE tr_audit_entries")]
    [InlineData("UPDATE tr_audit_head SET length = 1")]
    [InlineData("DELETE FROM tr_audit_head")]
    public async Task PostgreSqlTriggers_RefuseChangingTheTrail(string sql)
    {
        await using var host = await TradingDatabaseHost.StartAsync(DatabaseProvider.PostgreSql);
        await AppendAsync(host, 3);
        await using var db = host.Database.Create();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.True((await VerifyAsync(host)).IsIntact);
        Assert.Equal(3, await db.Set<AuditEntry>().CountAsync());
    }
}
