using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>Where a bidder's deposit for a section stands, as bidders and staff see it.</summary>
public enum DepositState
{
    AwaitingPayment,
    PartlyPaid,
    Paid,

    /// <summary>An accepted electronic guarantee stands in for the deposit.</summary>
    Guaranteed,

    /// <summary>A refund is with the bank.</summary>
    Refunding,
    Refunded,
    Forfeited,
    ConvertedToPrice,
}

public sealed record ParticipantDeposit(
    Guid SectionId, Guid EntityId, string EntityName, string AccountNumber, decimal Required, decimal Held, DepositState State,
    bool Flagged, ElectronicGuaranteeView? Guarantee, BankInstructionView? OpenInstruction);

public sealed record ElectronicGuaranteeView(Guid Id, string Issuer, string Number, decimal Amount, DateOnly ValidUntil, bool Accepted, IReadOnlyList<string> Problems);

public sealed record BankInstructionView(
    Guid Id, InstructionKind Kind, Guid EntityId, string EntityName, decimal Principal, decimal Interest, string ToAccount,
    InstructionState State, int Attempts, string? LastError, DateTimeOffset DecidedAt, DateTimeOffset? PaidAt);

public sealed record PaymentView(
    Guid Id, string BankCode, string BankTransactionId, decimal Amount, string PayerName, string PayerAccount, string PayerBank,
    string Reference, DateTimeOffset ReceivedAt, PaymentMatch Match, Guid? SectionId, string? SectionCode, string? ProjectName,
    Guid? CentreId, Guid? EntityId, string? EntityName, bool Flagged);

/// <summary>The ledger's totals for a section: <see cref="Balanced"/> when every yuan received is accounted for.</summary>
public sealed record LedgerTotals(decimal Received, decimal Held, decimal InSuspense, decimal Refunded, decimal Forfeited, decimal Converted, decimal InterestPaid)
{
    public bool Balanced => Received == Held + InSuspense + Refunded + Forfeited + Converted;
}

public sealed record SectionDeposits(
    DepositSection Section, IReadOnlyList<ParticipantDeposit> Participants, IReadOnlyList<PaymentView> Payments,
    IReadOnlyList<BankInstructionView> Instructions, LedgerTotals Totals);

public sealed record DepositPage<T>(IReadOnlyList<T> Items, int Total);

/// <summary>Read side of the deposits, for the pages. Callers pass the scope the user may see.</summary>
public sealed class DepositQueries(ITradingDatabase database)
{
    /// <summary>Deposit sections of the given centres (all centres when null), newest serial first.</summary>
    public async Task<DepositPage<DepositSection>> SectionsAsync(IReadOnlyCollection<Guid>? centreIds, string? search, int skip, int take, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var query = db.Set<DepositSection>().AsNoTracking();
        if (centreIds is not null)
        {
            query = query.Where(s => centreIds.Contains(s.CentreId));
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim();
            query = query.Where(s => s.SectionCode.Contains(text) || s.ProjectName.Contains(text) || s.ProjectCode.Contains(text));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(s => s.Serial).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new DepositPage<DepositSection>(items, total);
    }

    public async Task<DepositSection?> SectionAsync(Guid sectionId, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        return await db.Set<DepositSection>().AsNoTracking().SingleOrDefaultAsync(s => s.SectionId == sectionId, cancellationToken);
    }

    /// <summary>A section's deposits: every participant's state, its payments, instructions and ledger totals.</summary>
    public async Task<SectionDeposits?> SectionDepositsAsync(Guid sectionId, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var section = await db.Set<DepositSection>().AsNoTracking().SingleOrDefaultAsync(s => s.SectionId == sectionId, cancellationToken);
        if (section is null)
        {
            return null;
        }

        var accounts = await db.Set<DepositAccount>().AsNoTracking().Where(a => a.SectionId == sectionId).ToListAsync(cancellationToken);
        var participants = await ParticipantsAsync(db, [section], accounts, cancellationToken);
        var names = accounts.ToDictionary(a => a.EntityId, a => a.EntityName);
        var payments = await db.Set<BankPayment>().AsNoTracking().Where(p => p.SectionId == sectionId).ToListAsync(cancellationToken);
        var instructions = await db.Set<BankInstruction>().AsNoTracking().Where(i => i.SectionId == sectionId).ToListAsync(cancellationToken);
        var lines = await db.Set<LedgerEntry>().AsNoTracking().Where(e => e.SectionId == sectionId).ToListAsync(cancellationToken);
        var ledger = SectionDepositLedger.Restore(section.SectionId, section.Amount, lines.Select(l => l.ToMovement()), []);
        decimal Sum(MovementKind kind) => lines.Where(l => l.Kind == kind).Sum(l => l.Amount);
        var held = lines.Where(l => l.EntityId is not null).Select(l => l.EntityId!.Value).Distinct().Sum(ledger.HeldFor);
        var totals = new LedgerTotals(ledger.TotalReceived, held, ledger.InSuspense, Sum(MovementKind.Refunded), Sum(MovementKind.Forfeited),
            Sum(MovementKind.ConvertedToPrice), lines.Where(l => l.Kind == MovementKind.Refunded).Sum(l => l.Interest));
        return new SectionDeposits(
            section,
            participants,
            [.. payments.OrderByDescending(p => p.RecordedAt).Select(p => View(p, section, p.EntityId is { } e ? names.GetValueOrDefault(e) : null))],
            [.. instructions.OrderByDescending(i => i.DecidedAt).Select(i => View(i, names.GetValueOrDefault(i.EntityId) ?? string.Empty))],
            totals);
    }

    /// <summary>The deposits of the given entities (a bidder's own), per section.</summary>
    public async Task<IReadOnlyList<(DepositSection Section, ParticipantDeposit Deposit)>> OfEntitiesAsync(IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var accounts = await db.Set<DepositAccount>().AsNoTracking().Where(a => entityIds.Contains(a.EntityId)).ToListAsync(cancellationToken);
        var sectionIds = accounts.Select(a => a.SectionId).Distinct().ToList();
        var sections = await db.Set<DepositSection>().AsNoTracking().Where(s => sectionIds.Contains(s.SectionId)).ToListAsync(cancellationToken);
        var participants = await ParticipantsAsync(db, sections, accounts, cancellationToken);
        var bySection = sections.ToDictionary(s => s.SectionId);
        return [.. participants.Select(p => (bySection[p.SectionId], p)).OrderByDescending(p => p.Item1.Serial)];
    }

    /// <summary>
    /// Sections the given entities have no sub-account for yet (to open one), of every centre, except those of a project
    /// that has ended (completed or terminated).
    /// </summary>
    public async Task<IReadOnlyList<DepositSection>> OpenToAsync(IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var taken = db.Set<DepositAccount>().Where(a => entityIds.Contains(a.EntityId)).Select(a => a.SectionId);
        var ended = EndedProjects(db);
        return await db.Set<DepositSection>().AsNoTracking().Where(s => !taken.Contains(s.SectionId) && !ended.Contains(s.ProjectId))
            .OrderByDescending(s => s.Serial).Take(200).ToListAsync(cancellationToken);
    }

    /// <summary>Which of the projects have ended (completed or terminated).</summary>
    public async Task<IReadOnlySet<Guid>> EndedAmongAsync(IReadOnlyCollection<Guid> projectIds, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        return (await EndedProjects(db).Where(id => projectIds.Contains(id)).ToListAsync(cancellationToken)).ToHashSet();
    }

    /// <summary>Whether the project has ended (completed or terminated); a section of no registered project has not.</summary>
    internal static Task<bool> ProjectEndedAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken) =>
        EndedProjects(db).ContainsAsync(projectId, cancellationToken);

    private static IQueryable<Guid> EndedProjects(TradingDbContext db) =>
        db.Set<Project>().Where(p => p.State == ProjectState.Completed || p.State == ProjectState.Terminated).Select(p => p.Id);

    /// <summary>
    /// Payments, newest first: flagged ones (<paramref name="flaggedOnly"/>), or those waiting for staff (unmatched or in
    /// a section's suspense). Limited to sections of <paramref name="centreIds"/> when given; payments that name no
    /// section at all belong to no centre and are listed for every centre's staff (they need to be assigned).
    /// </summary>
    public async Task<DepositPage<PaymentView>> PaymentsAsync(bool flaggedOnly, IReadOnlyCollection<Guid>? centreIds, int skip, int take, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var query = from payment in db.Set<BankPayment>().AsNoTracking()
                    join section in db.Set<DepositSection>().AsNoTracking() on payment.SectionId equals section.SectionId into sections
                    from section in sections.DefaultIfEmpty()
                    select new { payment, section };
        query = flaggedOnly
            ? query.Where(x => x.payment.Flagged)
            : query.Where(x => x.payment.Match != PaymentMatch.Matched);
        if (centreIds is not null)
        {
            query = query.Where(x => x.section == null ? !flaggedOnly : centreIds.Contains(x.section.CentreId));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(x => x.payment.RecordedAt).Skip(skip).Take(take).ToListAsync(cancellationToken);
        var keys = rows.Where(r => r.payment.EntityId is not null && r.payment.SectionId is not null).Select(r => r.payment.SectionId!.Value).Distinct().ToList();
        var names = await db.Set<DepositAccount>().AsNoTracking().Where(a => keys.Contains(a.SectionId))
            .Select(a => new { a.SectionId, a.EntityId, a.EntityName }).ToListAsync(cancellationToken);
        return new DepositPage<PaymentView>(
            [.. rows.Select(r => View(r.payment, r.section, names.FirstOrDefault(n => n.SectionId == r.payment.SectionId && n.EntityId == r.payment.EntityId)?.EntityName))],
            total);
    }

    public async Task<PaymentView?> PaymentAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var payment = await db.Set<BankPayment>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken);
        if (payment is null)
        {
            return null;
        }

        var section = payment.SectionId is { } id ? await db.Set<DepositSection>().AsNoTracking().SingleOrDefaultAsync(s => s.SectionId == id, cancellationToken) : null;
        return View(payment, section, null);
    }

    public async Task<BankInstruction?> InstructionAsync(Guid instructionId, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        return await db.Set<BankInstruction>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == instructionId, cancellationToken);
    }

    private static async Task<List<ParticipantDeposit>> ParticipantsAsync(
        TradingDbContext db, IReadOnlyList<DepositSection> sections, IReadOnlyList<DepositAccount> accounts, CancellationToken cancellationToken)
    {
        var sectionIds = sections.Select(s => s.SectionId).ToList();
        var lines = await db.Set<LedgerEntry>().AsNoTracking().Where(e => sectionIds.Contains(e.SectionId)).ToListAsync(cancellationToken);
        var guarantees = await db.Set<ElectronicGuarantee>().AsNoTracking().Where(g => sectionIds.Contains(g.SectionId)).ToListAsync(cancellationToken);
        var instructions = await db.Set<BankInstruction>().AsNoTracking().Where(i => sectionIds.Contains(i.SectionId)).ToListAsync(cancellationToken);
        var flagged = await db.Set<BankPayment>().AsNoTracking().Where(p => p.Flagged && p.SectionId != null && sectionIds.Contains(p.SectionId.Value))
            .Select(p => new { p.SectionId, p.EntityId }).ToListAsync(cancellationToken);
        var result = new List<ParticipantDeposit>();
        foreach (var section in sections)
        {
            var ledger = SectionDepositLedger.Restore(section.SectionId, section.Amount,
                lines.Where(l => l.SectionId == section.SectionId).Select(l => l.ToMovement()), []);
            foreach (var account in accounts.Where(a => a.SectionId == section.SectionId).OrderBy(a => a.Participant))
            {
                var own = ledger.Movements.Where(m => m.ParticipantId == account.EntityId).ToList();
                var held = ledger.HeldFor(account.EntityId);
                var guarantee = guarantees.Where(g => g.SectionId == section.SectionId && g.EntityId == account.EntityId)
                    .OrderByDescending(g => g.Accepted).ThenByDescending(g => g.RecordedAt).FirstOrDefault();
                var open = instructions.FirstOrDefault(i => i.SectionId == section.SectionId && i.EntityId == account.EntityId && i.IsOpen && i.Kind == InstructionKind.Refund);
                var state = open is not null ? DepositState.Refunding
                    : held >= section.Amount ? DepositState.Paid
                    : held > 0 ? DepositState.PartlyPaid
                    : own.Any(m => m.Kind == MovementKind.Forfeited) ? DepositState.Forfeited
                    : own.Any(m => m.Kind == MovementKind.ConvertedToPrice) ? DepositState.ConvertedToPrice
                    : own.Any(m => m.Kind == MovementKind.Refunded) ? DepositState.Refunded
                    : guarantee is { Accepted: true } ? DepositState.Guaranteed
                    : DepositState.AwaitingPayment;
                result.Add(new ParticipantDeposit(
                    section.SectionId, account.EntityId, account.EntityName, account.Number, section.Amount, held, state,
                    flagged.Any(f => f.SectionId == section.SectionId && f.EntityId == account.EntityId),
                    guarantee is null ? null : new ElectronicGuaranteeView(guarantee.Id, guarantee.Issuer, guarantee.Number, guarantee.Amount, guarantee.ValidUntil, guarantee.Accepted, guarantee.ProblemCodes),
                    open is null ? null : View(open, account.EntityName)));
            }
        }

        return result;
    }

    private static PaymentView View(BankPayment p, DepositSection? section, string? entityName) =>
        new(p.Id, p.BankCode, p.BankTransactionId, p.Amount, p.PayerName, p.PayerAccount, p.PayerBank, p.Reference, p.ReceivedAt, p.Match,
            p.SectionId, section?.SectionCode, section?.ProjectName, section?.CentreId, p.EntityId, entityName, p.Flagged);

    private static BankInstructionView View(BankInstruction i, string entityName) =>
        new(i.Id, i.Kind, i.EntityId, entityName, i.Principal, i.Interest, i.ToAccount, i.State, i.Attempts, i.LastError, i.DecidedAt, i.PaidAt);
}
