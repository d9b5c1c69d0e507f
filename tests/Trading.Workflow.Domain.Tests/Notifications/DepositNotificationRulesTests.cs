using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Notifications;

/// <summary>Flagged deposit payments, damaged documents and late refunds reach the centre's supervisors, rendered from the record's data.</summary>
public sealed class DepositNotificationRulesTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task FlaggedPaymentAndDamagedDocument_NotifyTheCentresSupervisors(DatabaseProvider provider)
    {
        var centre = Guid.NewGuid();
        await using var host = await TradingDatabaseHost.StartAsync(provider, services =>
            services.Replace(ServiceDescriptor.Singleton<INotificationRecipientDirectory>(new SupervisorDirectory(centre))));
        await using (var db = host.Database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var trail = host.Services.GetRequiredService<IAuditTrail>();
            await trail.AppendAsync(db, new AuditRecord("bank", centre, "deposit-payment", "p1", "deposits.payment.flagged",
                new { paymentId = Guid.NewGuid(), bankTransactionId = "BT-0001", amount = 50000.00m, payerAccount = "6222999988887777", flagged = true }));
            await trail.AppendAsync(db, new AuditRecord("system", centre, "document", "d1", "documents.document.damaged", new { documentId = "d1" }));
            await trail.AppendAsync(db, new AuditRecord("system", centre, "scheduled-refund", "r1", "deposits.refund.overdue",
                new { dueAt = new DateTimeOffset(2026, 12, 10, 0, 0, 0, TimeSpan.Zero), lastError = "账户冻结", basisZh = "合同签订后", basisEn = "after the contract", projectCode = "P-1", sectionCode = "S-1" }));
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();

        await using var read = host.Database.Create();
        var notifications = await read.Set<Notification>().AsNoTracking().OrderBy(n => n.SourceKey).ToListAsync();
        Assert.Equal(["trail:1/supervisor1", "trail:2/supervisor1", "trail:3/supervisor1"], notifications.Select(n => $"{n.SourceKey}/{n.UserId}"));
        // Amounts and moments as people read them: grouped digits, China time.
        Assert.Equal("一笔保证金（金额 50,000.00 元，银行流水号 BT-0001）来自非投标人基本账户 6222999988887777，请核查。", notifications[0].Body);
        Assert.Equal("/supervision/deposits", notifications[0].Link);
        Assert.Equal("文件完整性校验失败", notifications[1].Title);
        Assert.Contains("应于 2026-12-10 08:00 前退还", notifications[2].Body, StringComparison.Ordinal);
    }

    private sealed class SupervisorDirectory(Guid centre) : INotificationRecipientDirectory
    {
        public ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new NotificationRecipient(userId, NotificationLanguage.Chinese, null, null));

        public ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<string>>(role == PlatformRoles.Supervisor && centreId == centre ? ["supervisor1"] : []);
    }
}
