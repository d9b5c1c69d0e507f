using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// 条例 57: within 5 日 after the contract is signed the tenderee refunds every bid deposit (the winner's and the
/// others') with bank deposit interest. When the contract is recorded, one <see cref="ScheduledRefund"/> per bidder
/// that still has money held is written in the caller's transaction (reason <see cref="Reason"/>, due at 24:00 China
/// Standard Time of the 5th day after signing, start day not counted, rolled over a non-working last day); the refund
/// timer carries each out through the section's ledger with interest (<see cref="InterestPolicy"/>) and reports it
/// when it is late. Bidders whose deposit was forfeited, converted or already refunded have nothing held and get none.
/// </summary>
public sealed class ContractRefunds(DepositService deposits, IServiceProvider services)
{
    /// <summary>The reason of the scheduled refunds (tr_deposit_scheduled_refunds.reason).</summary>
    public const string Reason = "contract-signed";

    /// <summary>条例 57: 5 日.</summary>
    public const int RefundDays = 5;

    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary>
    /// The refunds' legal due time: the end (24:00 CST) of the 5th calendar day after signing, the signing day not
    /// counted, moved to the next working day when that day is not one (platform calendar when registered).
    /// </summary>
    public DateTimeOffset DueAfter(DateTimeOffset signedAt)
    {
        var calendar = services.GetService<IBusinessCalendar>();
        var last = calendar?.AddCalendarDays(signedAt, RefundDays) ?? signedAt.ToOffset(ChinaStandardTime).AddDays(RefundDays);
        var date = DateOnly.FromDateTime(last.ToOffset(ChinaStandardTime).DateTime).AddDays(1);
        return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), ChinaStandardTime).ToUniversalTime();
    }

    /// <summary>
    /// Schedules, in the caller's transaction, the refund of every deposit still held in the project's sections. Asking
    /// again schedules nothing twice (a bidder with a contract refund already scheduled is skipped).
    /// </summary>
    public async Task<IReadOnlyList<ScheduledRefund>> ScheduleAsync(
        TradingDbContext db, Guid projectId, DateTimeOffset signedAt, Guid? contractId, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var due = DueAfter(signedAt);
        var sections = await db.Set<DepositSection>().Where(s => s.ProjectId == projectId).ToListAsync(cancellationToken);
        var scheduled = new List<ScheduledRefund>();
        foreach (var section in sections.OrderBy(s => s.SectionCode, StringComparer.Ordinal))
        {
            var ledger = await DepositService.LedgerAsync(db, section, cancellationToken);
            var already = await db.Set<ScheduledRefund>().AsNoTracking()
                .Where(r => r.SectionId == section.SectionId && r.Reason == Reason).Select(r => r.EntityId).ToListAsync(cancellationToken);
            var holders = ledger.Movements.Where(m => m.ParticipantId is not null).Select(m => m.ParticipantId!.Value).Distinct()
                .Where(p => ledger.HeldFor(p) > 0 && !already.Contains(p)).ToList();
            foreach (var holder in holders)
            {
                if (await deposits.ScheduleRefundAsync(db, section.SectionId, holder, Reason, contractId, due, actor, cancellationToken) is { } refund)
                {
                    scheduled.Add(refund);
                }
            }
        }

        return scheduled;
    }
}
