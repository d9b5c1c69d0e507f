using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Trail;

public sealed class AuditTrailPersistenceTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Records_appended_in_separate_transactions_form_one_intact_chain_that_an_edit_breaks(DatabaseProvider provider)
    {
        await using var host = await TradingDatabaseHost.StartAsync(provider);
        var trail = host.Services.GetRequiredService<IAuditTrail>();
        for (var i = 0; i < 3; i++)
        {
            await using var db = host.Database.Create();
            await using var tx = await db.Database.BeginTransactionAsync();
            await trail.AppendAsync(db, new AuditRecord("staff", null, "entity", $"e{i}", "market.entity.approved", new { entityId = i, name = "演示公司" }));
            await trail.AppendAsync(db, new AuditRecord("staff", Guid.NewGuid(), "entity", $"e{i}", "market.entity.noted"));
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        await using (var read = host.Database.Create())
        {
            var entries = await read.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
            Assert.Equal(6, entries.Count);
            Assert.Contains("演示公司", entries[0].Data, StringComparison.Ordinal);
            Assert.True(AuditChain.Verify(entries).IsIntact);
        }

        await using (var edit = host.Database.Create())
        {
            await TrailTampering.ExecuteAsync(edit, "UPDATE tr_audit_entries SET actor = 'someone' WHERE sequence = 4");
        }

        await using (var read = host.Database.Create())
        {
            var verification = AuditChain.Verify(await read.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
            Assert.False(verification.IsIntact);
            Assert.Equal(4, verification.FirstBrokenSequence);
        }
    }

    [Fact]
    public async Task Appending_outside_a_transaction_is_refused()
    {
        await using var host = await TradingDatabaseHost.StartAsync(DatabaseProvider.Sqlite);
        await using var db = host.Database.Create();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            host.Services.GetRequiredService<IAuditTrail>().AppendAsync(db, new AuditRecord("x", null, "t", "1", "a.b.c")));
    }
}
