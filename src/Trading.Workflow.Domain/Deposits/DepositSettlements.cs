using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// A refund sent (or being sent) to a bidder: principal, interest, where it stands. <see cref="InterestRate"/> is the
/// section's annual rate: 0 where the trade type refunds without interest (land), so no interest rule applies.
/// </summary>
public sealed record RefundLine(
    Guid InstructionId, Guid SectionId, string ProjectCode, string ProjectName, string SectionCode, Guid EntityId,
    decimal Principal, decimal Interest, DateOnly DecidedOn, InstructionState State, DateTimeOffset? PaidAt, string? BankReference,
    decimal InterestRate = 0m);

/// <summary>A forfeited deposit: how much, on which ground, why, by whom and when.</summary>
public sealed record ForfeitureLine(
    Guid SectionId, string ProjectCode, string ProjectName, string SectionCode, Guid EntityId,
    decimal Amount, ForfeitureGround? Ground, string Reason, DateTimeOffset At, string By);

/// <summary>A refund owed by a date (bid withdrawn, contract signed), where the refund timer stands with it.</summary>
public sealed record OwedRefundLine(
    Guid Id, Guid SectionId, Guid CentreId, string ProjectCode, string ProjectName, string SectionCode, Guid EntityId, string EntityName,
    string Reason, DateTimeOffset DueAt, ScheduledRefundState State, int Attempts, string? LastError, DateTimeOffset? SettledAt, bool Overdue,
    InstructionState? Instruction = null)
{
    /// <summary>
    /// Done in law (the bank took the instruction within the limit) but not yet paid out: the bidder must not read
    /// "refunded" before the money moves.
    /// </summary>
    public bool AwaitingPayment => State == ScheduledRefundState.Done && Instruction is not null and not InstructionState.Paid;
}

/// <summary>Everything settled or owed for some entities' deposits: what the bidder's deposits page shows.</summary>
public sealed record DepositSettlementsView(IReadOnlyList<RefundLine> Refunds, IReadOnlyList<ForfeitureLine> Forfeitures, IReadOnlyList<OwedRefundLine> Owed);

/// <summary>
/// Read side of refunds and forfeitures: a bidder's own (every refund with its interest, every forfeiture with its
/// ground and reason, every refund owed by a date) and, for staff and supervisors, the refunds owed that are late.
/// </summary>
public sealed class DepositSettlements(ITradingDatabase database, TimeProvider time, IOptions<DepositOptions> options)
{
    public async Task<DepositSettlementsView> OfEntitiesAsync(IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityIds);
        await using var db = database.Create();
        var instructions = await db.Set<BankInstruction>().AsNoTracking()
            .Where(i => entityIds.Contains(i.EntityId) && i.Kind == InstructionKind.Refund).ToListAsync(cancellationToken);
        var forfeited = await db.Set<LedgerEntry>().AsNoTracking()
            .Where(e => e.EntityId != null && entityIds.Contains(e.EntityId.Value) && e.Kind == MovementKind.Forfeited).ToListAsync(cancellationToken);
        var owed = await db.Set<ScheduledRefund>().AsNoTracking().Where(r => entityIds.Contains(r.EntityId)).ToListAsync(cancellationToken);
        var sections = await SectionsAsync(db, instructions.Select(i => i.SectionId).Concat(forfeited.Select(f => f.SectionId)).Concat(owed.Select(o => o.SectionId)), cancellationToken);
        var names = await NamesAsync(db, owed, cancellationToken);
        var now = time.GetUtcNow();
        return new DepositSettlementsView(
            [.. instructions.OrderByDescending(i => i.DecidedAt).Select(i =>
            {
                var s = sections[i.SectionId];
                return new RefundLine(i.Id, i.SectionId, s.ProjectCode, s.ProjectName, s.SectionCode, i.EntityId, i.Principal, i.Interest, i.DecidedOn, i.State, i.PaidAt, i.BankReference,
                    options.Value.InterestRateFor(s));
            })],
            [.. forfeited.OrderByDescending(e => e.At).Select(e =>
            {
                var s = sections[e.SectionId];
                var (ground, reason) = DepositForfeitures.Parse(e.Reference);
                return new ForfeitureLine(e.SectionId, s.ProjectCode, s.ProjectName, s.SectionCode, e.EntityId!.Value, e.Amount, ground, reason, e.At, e.By);
            })],
            [.. owed.OrderByDescending(r => r.CreatedAt).Select(r => Line(r, sections[r.SectionId], names, now, instructions.ToDictionary(i => i.Id, i => i.State)))]);
    }

    /// <summary>
    /// Refunds owed whose due time has passed while still open (late, 条例 66), and those settled late, newest due
    /// first; limited to the sections of <paramref name="centreIds"/> when given (null: every centre).
    /// </summary>
    public async Task<IReadOnlyList<OwedRefundLine>> LateAsync(IReadOnlyCollection<Guid>? centreIds, bool includeSettled, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var now = time.GetUtcNow();
        var rows = await db.Set<ScheduledRefund>().AsNoTracking()
            .Where(r => r.State == ScheduledRefundState.Pending || r.State == ScheduledRefundState.Instructed || (includeSettled && r.OverdueReported))
            .ToListAsync(cancellationToken);
        rows = [.. rows.Where(r => r.DueAt < now || r.OverdueReported)];
        var sections = await SectionsAsync(db, rows.Select(r => r.SectionId), cancellationToken);
        if (centreIds is not null)
        {
            rows = [.. rows.Where(r => centreIds.Contains(sections[r.SectionId].CentreId))];
        }

        var names = await NamesAsync(db, rows, cancellationToken);
        var instructionIds = rows.Select(r => r.InstructionId).OfType<Guid>().ToList();
        var instructions = await db.Set<BankInstruction>().AsNoTracking().Where(i => instructionIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.State, cancellationToken);
        return [.. rows.OrderByDescending(r => r.DueAt).Select(r => Line(r, sections[r.SectionId], names, now, instructions))];
    }

    private static OwedRefundLine Line(
        ScheduledRefund r, DepositSection s, IReadOnlyDictionary<(Guid, Guid), string> names, DateTimeOffset now, IReadOnlyDictionary<Guid, InstructionState> instructions) =>
        new(r.Id, r.SectionId, s.CentreId, s.ProjectCode, s.ProjectName, s.SectionCode, r.EntityId, names.GetValueOrDefault((r.SectionId, r.EntityId)) ?? string.Empty,
            r.Reason, r.DueAt, r.State, r.Attempts, r.LastError, r.SettledAt,
            r.OverdueReported || (r.IsOpen && r.DueAt < now) || (r.SettledAt is { } settled && settled > r.DueAt),
            r.InstructionId is { } instruction && instructions.TryGetValue(instruction, out var state) ? state : null);

    private static async Task<Dictionary<Guid, DepositSection>> SectionsAsync(TradingDbContext db, IEnumerable<Guid> sectionIds, CancellationToken cancellationToken)
    {
        var ids = sectionIds.Distinct().ToList();
        return await db.Set<DepositSection>().AsNoTracking().Where(s => ids.Contains(s.SectionId)).ToDictionaryAsync(s => s.SectionId, cancellationToken);
    }

    private static async Task<Dictionary<(Guid, Guid), string>> NamesAsync(TradingDbContext db, IReadOnlyCollection<ScheduledRefund> rows, CancellationToken cancellationToken)
    {
        var sectionIds = rows.Select(r => r.SectionId).Distinct().ToList();
        var accounts = await db.Set<DepositAccount>().AsNoTracking().Where(a => sectionIds.Contains(a.SectionId)).ToListAsync(cancellationToken);
        return accounts.GroupBy(a => (a.SectionId, a.EntityId)).ToDictionary(g => g.Key, g => g.First().EntityName);
    }
}
