using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// Every change to deposits: section terms, sub-accounts, bank callbacks, assignment of payments, guarantees, refunds
/// and forfeitures. Each change runs in one transaction that also appends its trail record; a section's ledger is
/// rebuilt from its stored lines and changed through <see cref="SectionDepositLedger"/>, whose line numbers are unique
/// per section, so two concurrent changes of one section cannot both write the same line (the loser is retried).
/// Callers check who may act (role and scope); the service checks what may happen.
/// </summary>
public sealed class DepositService(
    ITradingDatabase database, IAuditTrail trail, IBasicAccountLookup accounts, IBankAdapter bank,
    IOptions<DepositOptions> options, TimeProvider time, IEnumerable<IDepositRefundGuard> guards,
    IEnumerable<IDepositReleaseListener> listeners, IEnumerable<IDepositSettlementObserver> observers)
{
    public const string BankActor = "bank";
    private const int Attempts = 3;

    public IBankAdapter Adapter => bank;

    /// <summary>States or changes a section's deposit terms; the amount is fixed once anything was paid or presented.</summary>
    public Task<DepositSection> ConfigureSectionAsync(SectionTerms terms, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(db => ConfigureSectionAsync(db, terms, actor, cancellationToken), cancellationToken);

    /// <summary>
    /// States or changes a section's deposit terms in the caller's context and transaction (the caller saves and
    /// commits), e.g. the engine start command that submits the section's project.
    /// </summary>
    public async Task<DepositSection> ConfigureSectionAsync(TradingDbContext db, SectionTerms terms, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(terms);
        var now = time.GetUtcNow();
        var section = await db.Set<DepositSection>().SingleOrDefaultAsync(s => s.SectionId == terms.SectionId, cancellationToken);
        if (section is null)
        {
            // Sections added in this context but not saved yet (several sections of one submission) count too.
            var stored = await db.Set<DepositSection>().Select(s => (int?)s.Serial).MaxAsync(cancellationToken) ?? 0;
            var pending = db.Set<DepositSection>().Local.Select(s => s.Serial).DefaultIfEmpty(0).Max();
            var serial = Math.Max(stored, pending) + 1;
            section = DepositSection.Create(serial, terms, now, actor);
            db.Add(section);
        }
        else
        {
            var anything = await db.Set<LedgerEntry>().AnyAsync(e => e.SectionId == section.SectionId, cancellationToken)
                           || await db.Set<ElectronicGuarantee>().AnyAsync(g => g.SectionId == section.SectionId && g.Accepted, cancellationToken);
            if (anything && terms.Amount != section.Amount)
            {
                throw new DomainRuleException(DepositRules.AmountFixed, "Deposits were paid for this section: its amount can no longer change.");
            }

            section.Apply(terms, now, actor);
        }

        await AuditAsync(db, actor, section, "deposit-section", section.SectionId.ToString(), "deposits.section.configured",
            new { sectionId = section.SectionId, projectId = section.ProjectId, amount = section.Amount, forms = section.Forms.ToString() }, cancellationToken);
        return section;
    }

    /// <summary>The entity's sub-account for the section, opened on first request.</summary>
    public Task<DepositAccount> OpenAccountAsync(Guid sectionId, Guid entityId, string entityName, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(async db =>
        {
            var existing = await db.Set<DepositAccount>().SingleOrDefaultAsync(a => a.SectionId == sectionId && a.EntityId == entityId, cancellationToken);
            if (existing is not null)
            {
                return existing;
            }

            var section = await SectionAsync(db, sectionId, cancellationToken);
            if (await DepositQueries.ProjectEndedAsync(db, section.ProjectId, cancellationToken))
            {
                throw new DomainRuleException(DepositRules.ProjectEnded, $"Project {section.ProjectCode} has ended: no sub-account is opened for it.");
            }

            var participant = (await db.Set<DepositAccount>().Where(a => a.SectionId == sectionId).Select(a => (int?)a.Participant).MaxAsync(cancellationToken) ?? 0) + 1;
            var account = DepositAccount.Open(section, participant, entityId, entityName, time.GetUtcNow(), actor);
            db.Add(account);
            await AuditAsync(db, actor, section, "deposit-account", account.Id.ToString(), "deposits.account.opened",
                new { sectionId, projectId = section.ProjectId, entityId, number = account.Number }, cancellationToken);
            return account;
        }, cancellationToken);

    /// <summary>
    /// Handles a bank callback: checks the bank's signature and timestamp, refuses a replayed signature, then records a
    /// deposit (idempotent by bank transaction id) or an instruction's outcome, all in one transaction.
    /// </summary>
    public async Task<CallbackResult> HandleCallbackAsync(
        string bankCode, string? timestampHeader, string? signatureHeader, byte[] body, CancellationToken cancellationToken)
    {
        if (!options.Value.Banks.TryGetValue(bankCode, out var bankOptions))
        {
            return new CallbackResult(CallbackOutcome.UnknownBank);
        }

        var check = BankCallbackSignature.Verify(Encoding.UTF8.GetBytes(bankOptions.Secret), timestampHeader, signatureHeader, body,
            time.GetUtcNow(), options.Value.CallbackTolerance);
        switch (check)
        {
            case BankCallbackCheck.OutsideWindow:
                return new CallbackResult(CallbackOutcome.Stale);
            case not BankCallbackCheck.Valid:
                return new CallbackResult(CallbackOutcome.BadSignature, check.ToString());
        }

        var callback = BankCallbackBody.Parse(body);
        var timestamp = long.Parse(timestampHeader!, CultureInfo.InvariantCulture);
        return callback?.Type switch
        {
            "deposit" when ValidDeposit(callback) is { } deposit => await InTransactionAsync(async db =>
            {
                if (await ReplayedAsync(db, bankCode, signatureHeader!, cancellationToken))
                {
                    return new CallbackResult(CallbackOutcome.Replayed);
                }

                db.Add(CallbackReceipt.Of(bankCode, signatureHeader!, timestamp, deposit.TransactionId, time.GetUtcNow()));
                return await ReceiveAsync(db, bankCode, deposit, cancellationToken);
            }, cancellationToken),
            "instruction" when callback.InstructionId is { } id && callback.Status is "paid" or "rejected" => await InTransactionAsync(async db =>
            {
                if (await ReplayedAsync(db, bankCode, signatureHeader!, cancellationToken))
                {
                    return new CallbackResult(CallbackOutcome.Replayed);
                }

                db.Add(CallbackReceipt.Of(bankCode, signatureHeader!, timestamp, id.ToString("N"), time.GetUtcNow()));
                var instruction = await db.Set<BankInstruction>().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
                if (instruction is null)
                {
                    return new CallbackResult(CallbackOutcome.BadBody, $"No instruction {id:N} was sent.");
                }

                var changed = await ApplyOutcomeAsync(db, instruction,
                    new BankInstructionReply(callback.Status == "paid" ? BankInstructionStatus.Paid : BankInstructionStatus.Rejected, callback.BankReference, callback.Reason),
                    cancellationToken);
                return new CallbackResult(changed ? CallbackOutcome.Recorded : CallbackOutcome.Duplicate);
            }, cancellationToken),
            _ => new CallbackResult(CallbackOutcome.BadBody, "The body is not a deposit or instruction callback with all its fields."),
        };
    }

    /// <summary>Staff assign a payment that arrived in suspense or unmatched to a bidder of a section.</summary>
    public Task<BankPayment> AssignPaymentAsync(Guid paymentId, Guid sectionId, Guid entityId, string entityName, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(async db =>
        {
            var payment = await db.Set<BankPayment>().SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken)
                ?? throw new DomainRuleException(DepositRules.PaymentUnknown, $"No payment {paymentId} was received.");
            var section = await SectionAsync(db, sectionId, cancellationToken);
            var ledger = await LedgerAsync(db, section, cancellationToken);
            var expected = await ExpectedPayerAccountAsync(entityId, payment.PayerName, cancellationToken);
            var now = time.GetUtcNow();
            if (payment.Match == PaymentMatch.Matched)
            {
                throw new DomainRuleException(DepositRules.PaymentAlreadyMatched, $"Payment {payment.BankTransactionId} is already assigned.");
            }

            var movement = payment.Match == PaymentMatch.InSuspense
                ? ledger.Match(payment.LedgerReference, entityId, expected, now, actor)
                : ledger.Receive(payment.LedgerReference, payment.Amount, payment.PayerAccount, entityId, expected, now);
            payment.MatchTo(sectionId, entityId, movement.PayerIsNotBasicAccount, actor, now);
            await EnsureAccountAsync(db, section, entityId, entityName, actor, now, cancellationToken);
            db.Add(LedgerEntry.From(sectionId, movement.ParticipantId is null ? movement : movement with { By = actor }));
            await AuditAsync(db, actor, section, "deposit-payment", payment.Id.ToString(), "deposits.payment.assigned",
                PaymentData(payment, section), cancellationToken);
            if (payment.Flagged)
            {
                await AuditAsync(db, actor, section, "deposit-payment", payment.Id.ToString(), "deposits.payment.flagged",
                    PaymentData(payment, section), cancellationToken);
            }

            return payment;
        }, cancellationToken);

    /// <summary>Records an electronic guarantee for a bidder of a section, accepted or with the problems found.</summary>
    public Task<ElectronicGuarantee> RecordGuaranteeAsync(Guid sectionId, Guid entityId, string entityName, GuaranteeDetails details, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(async db =>
        {
            var section = await SectionAsync(db, sectionId, cancellationToken);
            var now = time.GetUtcNow();
            var issuer = details.Issuer?.Trim();
            var number = details.Number?.Trim();
            if (await db.Set<ElectronicGuarantee>().AnyAsync(g => g.Issuer == issuer && g.Number == number && g.Accepted, cancellationToken))
            {
                throw new DomainRuleException(DepositRules.GuaranteeDuplicate, $"Guarantee {number} of {issuer} was already presented.");
            }

            var guarantee = ElectronicGuarantee.Record(section, entityId, details, DateOnly.FromDateTime(now.UtcDateTime), now, actor);
            db.Add(guarantee);
            await EnsureAccountAsync(db, section, entityId, entityName, actor, now, cancellationToken);
            await AuditAsync(db, actor, section, "deposit-guarantee", guarantee.Id.ToString(),
                guarantee.Accepted ? "deposits.guarantee.accepted" : "deposits.guarantee.refused",
                new { sectionId, projectId = section.ProjectId, entityId, issuer = guarantee.Issuer, number = guarantee.Number, amount = guarantee.Amount, problems = guarantee.ProblemCodes },
                cancellationToken);
            return guarantee;
        }, cancellationToken);

    /// <summary>
    /// Staff or a supervisor took the section's ledger out of the platform as a spreadsheet. It names the bidders, which
    /// no one may disclose before the opening (招标投标法 22), so who took it and when goes on the trail.
    /// </summary>
    public Task RecordLedgerExportAsync(Guid sectionId, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(async db =>
        {
            var section = await SectionAsync(db, sectionId, cancellationToken);
            await AuditAsync(db, actor, section, "deposit-section", sectionId.ToString(), "deposits.ledger.exported",
                new { sectionId, projectId = section.ProjectId, sectionCode = section.SectionCode }, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Why the entity's deposit in the section may not be refunded now: the first registered
    /// <see cref="IDepositRefundGuard"/> that holds it (a sale it is admitted to has not closed, it won), or null.
    /// </summary>
    public async Task<DepositRefundHold?> RefundHoldAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken)
    {
        foreach (var guard in guards)
        {
            if (await guard.HoldAsync(sectionId, entityId, cancellationToken) is { } hold)
            {
                return hold;
            }
        }

        return null;
    }

    /// <summary>
    /// The holds on the given bidders' deposits in the section (those not held are left out), for the page: one batched
    /// call per guard (<see cref="IDepositRefundGuard.HoldsAsync"/>), the first guard's hold winning as in <see cref="RefundHoldAsync"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, DepositRefundHold>> RefundHoldsAsync(Guid sectionId, IEnumerable<Guid> entityIds, CancellationToken cancellationToken)
    {
        var holds = new Dictionary<Guid, DepositRefundHold>();
        var pending = entityIds.ToHashSet();
        foreach (var guard in guards)
        {
            if (pending.Count == 0)
            {
                break;
            }

            foreach (var (entityId, hold) in await guard.HoldsAsync(sectionId, pending, cancellationToken))
            {
                if (pending.Remove(entityId))
                {
                    holds[entityId] = hold;
                }
            }
        }

        return holds;
    }

    /// <summary>Tells the listeners (<see cref="IDepositReleaseListener"/>) that the entity's deposit in the section is no longer held.</summary>
    private async Task ReleasedAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken)
    {
        foreach (var listener in listeners)
        {
            await listener.ReleasedAsync(sectionId, entityId, cancellationToken);
        }
    }

    /// <summary>
    /// Decides the refund of what is held for a bidder, to its basic account, with interest per the trade type's rule
    /// (or the section's own rate); asking again while it is open returns the same instruction. Then sends it.
    /// Refused (<see cref="RefundHoldAsync"/>) while a guard holds the deposit, whoever asks (staff, the refund timer).
    /// </summary>
    public async Task<BankInstruction> RefundAsync(Guid sectionId, Guid entityId, string actor, CancellationToken cancellationToken)
    {
        var instruction = await InTransactionAsync(async db =>
        {
            var section = await SectionAsync(db, sectionId, cancellationToken);
            var ledger = await LedgerAsync(db, section, cancellationToken);

            // Asked under the section's lock (DepositSectionLock), in the transaction that decides the refund: an approval
            // or an admission that relies on this deposit takes the same lock and re-reads the deposit, so either it
            // committed before (a guard holds the deposit now) or it sees the refund decided and refuses.
            if (await RefundHoldAsync(sectionId, entityId, cancellationToken) is { } hold)
            {
                throw hold.ToException();
            }

            var open = await db.Set<BankInstruction>().SingleOrDefaultAsync(
                i => i.SectionId == sectionId && i.EntityId == entityId && i.Kind == InstructionKind.Refund
                     && (i.State == InstructionState.Decided || i.State == InstructionState.Accepted), cancellationToken);
            if (open is not null)
            {
                return open;
            }

            var basic = await RefundAccountAsync(db, sectionId, entityId, cancellationToken);
            var now = time.GetUtcNow();
            var refund = ledger.RequestRefund(entityId, basic.AccountNumber, new InterestPolicy(options.Value.InterestRateFor(section)),
                InterestPolicy.ChinaDate(now));
            var decided = BankInstruction.ForRefund(sectionId, refund, basic.AccountName, basic.Bank, now, actor);
            db.Add(decided);
            await AuditAsync(db, actor, section, "deposit-instruction", decided.Id.ToString(), "deposits.refund.decided",
                new { sectionId, projectId = section.ProjectId, entityId, instructionId = decided.Id, principal = decided.Principal, interest = decided.Interest },
                cancellationToken);
            return decided;
        }, cancellationToken);
        await ReleasedAsync(sectionId, entityId, cancellationToken);
        return await DispatchAsync(instruction.Id, cancellationToken);
    }

    /// <summary>
    /// Where a refund goes: an organisation's verified basic account (基本账户); a natural person has none, so the personal
    /// account the deposit came from (the payer account of its payments into this section), or, when it paid from several
    /// accounts, the personal account verified on its profile. Nothing to refund to is a rule kept on the timer's row.
    /// </summary>
    private async Task<BasicAccount> RefundAccountAsync(TradingDbContext db, Guid sectionId, Guid entityId, CancellationToken cancellationToken)
    {
        var registered = await accounts.FindAsync(entityId, cancellationToken);
        if (!await accounts.IsNaturalPersonAsync(entityId, cancellationToken))
        {
            return registered ?? throw new DomainRuleException(DepositRules.NoBasicAccount, "The bidder has no verified basic account to refund to.");
        }

        var paid = await db.Set<BankPayment>().AsNoTracking()
            .Where(p => p.SectionId == sectionId && p.EntityId == entityId && p.Match == PaymentMatch.Matched).ToListAsync(cancellationToken);
        var sources = paid.GroupBy(p => string.Concat(p.PayerAccount.Where(char.IsAsciiDigit)), StringComparer.Ordinal).ToList();
        if (sources.Count == 1)
        {
            var source = sources[0].OrderBy(p => p.ReceivedAt).Last();
            return new BasicAccount(entityId, source.PayerName, source.PayerBank, source.PayerName, sources[0].Key);
        }

        return registered ?? throw new DomainRuleException(DepositRules.RefundAccountUnclear, sources.Count == 0
            ? "The natural person's deposit came from no bank account on record and no personal account is verified: nowhere to refund to."
            : $"The natural person paid from {sources.Count} accounts and has no personal account verified: staff decide where the refund goes.");
    }

    /// <summary>
    /// The account a deposit of the entity must come from, as the ledger checks it (a payment from another is flagged
    /// 非基本账户缴纳). The basic-account rule is the organisations': an organisation's verified basic account, or none on
    /// record (empty: the payer cannot be shown to be the bidder, so every payment is flagged). A natural person has no
    /// basic account: a payment in its own verified name is its own (null: nothing to check); another payer is checked
    /// against the personal account it registered, if any (none: flagged, someone else paid).
    /// </summary>
    private async Task<string?> ExpectedPayerAccountAsync(Guid entityId, string payerName, CancellationToken cancellationToken)
    {
        var registered = await accounts.FindAsync(entityId, cancellationToken);
        var person = await accounts.NaturalPersonNameAsync(entityId, cancellationToken);
        if (person is not null && string.Equals(Compact(person), Compact(payerName), StringComparison.Ordinal))
        {
            return null;
        }

        return registered?.AccountNumber ?? string.Empty;

        static string Compact(string name) => string.Concat(name.Where(c => !char.IsWhiteSpace(c)));
    }

    /// <summary>The actor of the refund timer's own steps in the trail.</summary>
    public const string RefundTimerActor = "system:refund-timer";

    /// <summary>
    /// Records, in the caller's transaction, a refund the platform owes the bidder by <paramref name="dueAt"/> (trail
    /// <c>deposits.refund.scheduled</c>); the refund timer carries it out. A section that states no deposit owes nothing
    /// (null).
    /// </summary>
    public async Task<ScheduledRefund?> ScheduleRefundAsync(
        TradingDbContext db, Guid sectionId, Guid entityId, string reason, Guid? sourceId, DateTimeOffset dueAt, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var section = await db.Set<DepositSection>().SingleOrDefaultAsync(s => s.SectionId == sectionId, cancellationToken);
        if (section is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var runAt = now + options.Value.ScheduledRefundDelay;
        var refund = ScheduledRefund.Create(sectionId, entityId, reason, sourceId, runAt < dueAt ? runAt : dueAt, dueAt, now, actor);
        db.Add(refund);
        await AuditAsync(db, actor, section, "deposit-section", sectionId.ToString(), "deposits.refund.scheduled",
            new { sectionId, projectId = section.ProjectId, entityId, scheduledRefundId = refund.Id, reason, sourceId, runAt = refund.RunAt, dueAt = refund.DueAt },
            cancellationToken);
        return refund;
    }

    /// <summary>The refunds owed to the entity in the section, newest first.</summary>
    public async Task<IReadOnlyList<ScheduledRefund>> ScheduledRefundsAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var rows = await db.Set<ScheduledRefund>().AsNoTracking().Where(r => r.SectionId == sectionId && r.EntityId == entityId).ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.CreatedAt)];
    }

    /// <summary>
    /// One tick of the refund timer: every open scheduled refund whose time has come is decided through the section's
    /// ledger and sent (<see cref="RefundAsync"/>), or sent again while the bank has not accepted it; a failure (no basic
    /// account, bank unreachable, refused) is kept on the row and tried again at the next tick; one still open when due is
    /// reported once (<c>deposits.refund.overdue</c>). Returns how many rows were looked at.
    /// </summary>
    public async Task<int> RunDueRefundsAsync(int batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<ScheduledRefund> due;
        await using (var db = database.Create())
        {
            // Open rows are few (refunds owed right now); their times are compared here, the same on every provider.
            var open = await db.Set<ScheduledRefund>().AsNoTracking()
                .Where(r => r.State == ScheduledRefundState.Pending || r.State == ScheduledRefundState.Instructed).ToListAsync(cancellationToken);
            due = [.. open.Where(r => r.RunAt <= now).OrderBy(r => r.RunAt).Take(batch)];
        }

        foreach (var refund in due)
        {
            try
            {
                await RunScheduledAsync(refund.Id, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another node's timer settled it first.
            }
        }

        return due.Count;
    }

    private async Task RunScheduledAsync(Guid scheduledRefundId, CancellationToken cancellationToken)
    {
        var refund = await LoadScheduledAsync(scheduledRefundId, cancellationToken);
        if (refund is null || !refund.IsOpen)
        {
            return;
        }

        string? error = null;
        BankInstruction? instruction = null;
        var nothingHeld = false;
        try
        {
            if (refund.State == ScheduledRefundState.Instructed && refund.InstructionId is { } sent)
            {
                await using var db = database.Create();
                var current = await db.Set<BankInstruction>().AsNoTracking().SingleAsync(i => i.Id == sent, cancellationToken);
                instruction = current.State == InstructionState.Decided ? await DispatchAsync(sent, cancellationToken) : current;
            }
            else
            {
                instruction = await RefundAsync(refund.SectionId, refund.EntityId, RefundTimerActor, cancellationToken);
            }
        }
        catch (DomainRuleException e) when (e.RuleCode == DepositRules.NothingHeld)
        {
            nothingHeld = true;
        }
        catch (DomainRuleException e)
        {
            error = e.RuleCode + ": " + e.Message;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            error = e.GetType().Name + ": " + e.Message;
        }

        await InTransactionAsync(async db =>
        {
            var row = await db.Set<ScheduledRefund>().SingleAsync(r => r.Id == scheduledRefundId, cancellationToken);
            if (row.Version != refund.Version)
            {
                throw new DbUpdateConcurrencyException("The scheduled refund changed meanwhile.");
            }

            var section = await SectionAsync(db, row.SectionId, cancellationToken);
            var now = time.GetUtcNow();
            var data = new { sectionId = row.SectionId, projectId = section.ProjectId, entityId = row.EntityId, scheduledRefundId = row.Id, instructionId = instruction?.Id, dueAt = row.DueAt };
            if (nothingHeld)
            {
                await DepositSectionLock.TakeAsync(db, row.SectionId, cancellationToken);
                row.Settled(ScheduledRefundState.NothingHeld, now);
                await AuditAsync(db, RefundTimerActor, section, "deposit-section", row.SectionId.ToString(), "deposits.refund.nothing-held", data, cancellationToken);
                await SettledAsync(db, new DepositSettled(DepositSettlementKinds.NothingHeld, row.Id, section.ProjectId, section.SectionId, section.SectionCode,
                    row.EntityId, 0m, 0m, null, row.Reason, now, RefundTimerActor), cancellationToken);
            }
            else if (instruction is { State: InstructionState.Paid or InstructionState.Accepted })
            {
                if (row.InstructionId != instruction.Id)
                {
                    row.Instructed(instruction.Id, now);
                }

                row.Settled(ScheduledRefundState.Done, now);
            }
            else if (instruction is { State: InstructionState.Rejected })
            {
                row.Reopen(now, "the bank refused the refund instruction " + instruction.Id);
            }
            else if (instruction is not null)
            {
                if (row.InstructionId == instruction.Id)
                {
                    row.Attempted(now, instruction.LastError);
                }
                else
                {
                    row.Instructed(instruction.Id, now);
                }
            }
            else
            {
                row.Attempted(now, error);
            }

            if (row.IsOpen && now > row.DueAt && !row.OverdueReported)
            {
                row.ReportOverdue();
                await AuditAsync(db, RefundTimerActor, section, "deposit-section", row.SectionId.ToString(), "deposits.refund.overdue",
                    new
                    {
                        data.sectionId, data.projectId, data.entityId, data.scheduledRefundId, data.dueAt, lastError = row.LastError ?? "-", reason = row.Reason,
                        basisZh = row.Reason == ContractRefunds.Reason ? "合同签订后 5 日内退还，条例 57" : "投标撤回后 5 日内退还，条例 35",
                        basisEn = row.Reason == ContractRefunds.Reason ? "within 5 days of the contract, 条例 57" : "within 5 days of the withdrawal, 条例 35",
                        projectCode = section.ProjectCode, sectionCode = section.SectionCode,
                    }, cancellationToken);
            }

            return row;
        }, cancellationToken);
    }

    private async Task<ScheduledRefund?> LoadScheduledAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        return await db.Set<ScheduledRefund>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
    }

    /// <summary>
    /// Refunds every bidder of the section that still has money held (after the contract, on termination). Nothing is
    /// refunded while any of them is held by a guard (<see cref="RefundHoldAsync"/>): the first hold is the refusal.
    /// </summary>
    public async Task<IReadOnlyList<BankInstruction>> RefundAllAsync(Guid sectionId, string actor, CancellationToken cancellationToken)
    {
        List<Guid> holders;
        await using (var db = database.Create())
        {
            var section = await SectionAsync(db, sectionId, cancellationToken);
            var ledger = await LedgerAsync(db, section, cancellationToken);
            holders = [.. ledger.Movements.Where(m => m.ParticipantId is not null).Select(m => m.ParticipantId!.Value).Distinct().Where(p => ledger.HeldFor(p) > 0)];
        }

        foreach (var holder in holders)
        {
            if (await RefundHoldAsync(sectionId, holder, cancellationToken) is { } hold)
            {
                throw hold.ToException();
            }
        }

        var result = new List<BankInstruction>();
        foreach (var holder in holders)
        {
            result.Add(await RefundAsync(sectionId, holder, actor, cancellationToken));
        }

        return result;
    }

    /// <summary>Forfeits what is held for a bidder (recorded at once) and instructs the transfer to the forfeiture account.</summary>
    public async Task<BankInstruction> ForfeitAsync(Guid sectionId, Guid entityId, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.ForfeitureAccount))
        {
            throw new DomainRuleException(DepositRules.NoForfeitureAccount, "No forfeiture account is configured (Deposits:ForfeitureAccount).");
        }

        var instruction = await InTransactionAsync(async db =>
        {
            var section = await SectionAsync(db, sectionId, cancellationToken);
            var ledger = await LedgerAsync(db, section, cancellationToken);
            var now = time.GetUtcNow();
            var movement = ledger.Forfeit(entityId, reason.Trim(), now, actor);
            db.Add(LedgerEntry.From(sectionId, movement));
            var decided = BankInstruction.ForForfeiture(sectionId, entityId, movement.Amount, settings.ForfeitureAccount,
                settings.ForfeitureAccountName, settings.ForfeitureBank, now, actor);
            db.Add(decided);
            await AuditAsync(db, actor, section, "deposit-instruction", decided.Id.ToString(), "deposits.deposit.forfeited",
                new { sectionId, projectId = section.ProjectId, entityId, instructionId = decided.Id, amount = movement.Amount, reason = reason.Trim() },
                cancellationToken);
            return decided;
        }, cancellationToken);
        await ReleasedAsync(sectionId, entityId, cancellationToken);
        return await DispatchAsync(instruction.Id, cancellationToken);
    }

    /// <summary>Counts the winner's deposit towards the price (land, assets): no money leaves the deposit account.</summary>
    public Task<LedgerEntry> ConvertToPriceAsync(Guid sectionId, Guid entityId, string contractReference, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(async db =>
        {
            var section = await SectionAsync(db, sectionId, cancellationToken);
            var ledger = await LedgerAsync(db, section, cancellationToken);
            var entry = LedgerEntry.From(sectionId, ledger.ConvertToPrice(entityId, contractReference, time.GetUtcNow(), actor));
            db.Add(entry);
            await AuditAsync(db, actor, section, "deposit-section", sectionId.ToString(), "deposits.deposit.converted",
                new { sectionId, projectId = section.ProjectId, entityId, amount = entry.Amount, contractReference }, cancellationToken);
            return entry;
        }, cancellationToken);

    /// <summary>
    /// Sends an open instruction through the bank adapter (asking the bank first when it was tried before) and records
    /// the answer; a bank that cannot be reached leaves it decided, with the error, for a later retry.
    /// </summary>
    public async Task<BankInstruction> DispatchAsync(Guid instructionId, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var instruction = await db.Set<BankInstruction>().SingleOrDefaultAsync(i => i.Id == instructionId, cancellationToken)
            ?? throw new DomainRuleException(DepositRules.RefundUnknown, $"No instruction {instructionId} exists.");
        var reply = await InstructionDispatcher.DispatchAsync(instruction, bank, time, db.SaveChangesAsync, cancellationToken);
        if (reply?.Status == BankInstructionStatus.Paid || reply?.Status == BankInstructionStatus.Rejected)
        {
            await db.SaveChangesAsync(cancellationToken);
            return await InTransactionAsync(async tx =>
            {
                var current = await tx.Set<BankInstruction>().SingleAsync(i => i.Id == instructionId, cancellationToken);
                await ApplyOutcomeAsync(tx, current, reply, cancellationToken);
                return current;
            }, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return instruction;
    }

    private async Task<CallbackResult> ReceiveAsync(TradingDbContext db, string bankCode, BankDeposit deposit, CancellationToken cancellationToken)
    {
        var existing = await db.Set<BankPayment>().SingleOrDefaultAsync(p => p.BankCode == bankCode && p.BankTransactionId == deposit.TransactionId, cancellationToken);
        if (existing is not null)
        {
            return existing.SameAs(deposit)
                ? new CallbackResult(CallbackOutcome.Duplicate, null, existing.Id, existing.Match, existing.Flagged)
                : throw new DomainRuleException(DepositRules.TransactionReused, $"Bank transaction {deposit.TransactionId} was already recorded with other details.");
        }

        var now = time.GetUtcNow();
        var payment = BankPayment.Record(bankCode, deposit, now);
        db.Add(payment);
        var reference = payment.Reference;
        var account = SubAccountNumber.IsValid(reference)
            ? await db.Set<DepositAccount>().SingleOrDefaultAsync(a => a.Number == reference, cancellationToken)
            : null;
        var serial = SubAccountNumber.SectionSerialOf(reference);
        var section = account is not null
            ? await SectionAsync(db, account.SectionId, cancellationToken)
            : serial is { } s ? await db.Set<DepositSection>().SingleOrDefaultAsync(x => x.Serial == s, cancellationToken) : null;
        if (section is null)
        {
            await AuditAsync(db, BankActor, null, "deposit-payment", payment.Id.ToString(), "deposits.payment.unmatched",
                PaymentData(payment, null), cancellationToken);
            return new CallbackResult(CallbackOutcome.Recorded, null, payment.Id, payment.Match, false);
        }

        var ledger = await LedgerAsync(db, section, cancellationToken);
        if (account is null)
        {
            payment.HoldInSuspense(section.SectionId);
            db.Add(LedgerEntry.From(section.SectionId, ledger.Receive(payment.LedgerReference, deposit.Amount, deposit.PayerAccount, null, null, deposit.ReceivedAt)));
            await AuditAsync(db, BankActor, section, "deposit-payment", payment.Id.ToString(), "deposits.payment.suspense",
                PaymentData(payment, section), cancellationToken);
            return new CallbackResult(CallbackOutcome.Recorded, null, payment.Id, payment.Match, false);
        }

        var expected = await ExpectedPayerAccountAsync(account.EntityId, deposit.PayerName, cancellationToken);
        var movement = ledger.Receive(payment.LedgerReference, deposit.Amount, deposit.PayerAccount, account.EntityId, expected, deposit.ReceivedAt);
        payment.MatchTo(section.SectionId, account.EntityId, movement.PayerIsNotBasicAccount, BankActor, now);
        db.Add(LedgerEntry.From(section.SectionId, movement));
        await AuditAsync(db, BankActor, section, "deposit-payment", payment.Id.ToString(), "deposits.payment.received", PaymentData(payment, section), cancellationToken);
        if (payment.Flagged)
        {
            await AuditAsync(db, BankActor, section, "deposit-payment", payment.Id.ToString(), "deposits.payment.flagged", PaymentData(payment, section), cancellationToken);
        }

        return new CallbackResult(CallbackOutcome.Recorded, null, payment.Id, payment.Match, payment.Flagged);
    }

    /// <returns>False when the outcome was recorded before (a duplicate callback).</returns>
    private async Task<bool> ApplyOutcomeAsync(TradingDbContext db, BankInstruction instruction, BankInstructionReply reply, CancellationToken cancellationToken)
    {
        if (!instruction.IsOpen)
        {
            return false;
        }

        var section = await SectionAsync(db, instruction.SectionId, cancellationToken);
        // Every outcome under the section's lock: an archive being made of the project reads the ledger under it, so
        // it either sees this outcome or is committed before this one looks for it (SettledAsync).
        await DepositSectionLock.TakeAsync(db, section.SectionId, cancellationToken);
        var now = time.GetUtcNow();
        var refund = instruction.Kind == InstructionKind.Refund;
        if (reply.Status == BankInstructionStatus.Rejected)
        {
            instruction.MarkRejected(reply.Reason ?? "rejected by the bank");
            await AuditAsync(db, BankActor, section, "deposit-instruction", instruction.Id.ToString(), "deposits.instruction.rejected",
                new { sectionId = section.SectionId, projectId = section.ProjectId, entityId = instruction.EntityId, instructionId = instruction.Id, reason = reply.Reason },
                cancellationToken);
            await SettledAsync(db, new DepositSettled(refund ? DepositSettlementKinds.RefundRejected : DepositSettlementKinds.ForfeitureRejected, instruction.Id,
                section.ProjectId, section.SectionId, section.SectionCode, instruction.EntityId, instruction.Principal, instruction.Interest, null,
                instruction.LastError, now, BankActor), cancellationToken);
            return true;
        }

        if (instruction.Kind == InstructionKind.Refund)
        {
            var ledger = await LedgerAsync(db, section, cancellationToken);
            var before = ledger.Movements.Count;
            ledger.Confirm(instruction.Id, now);
            if (ledger.Movements.Count > before)
            {
                db.Add(LedgerEntry.From(section.SectionId, ledger.Movements[^1], instruction.Interest));
            }
        }

        instruction.MarkPaid(reply.BankReference ?? string.Empty, now);
        if (refund)
        {
            // The refund the timer owes this bidder is settled by this payment, here and not in the timer's next
            // transaction, so that what the observers read below (an archive's supplement) shows it done. The timer's
            // round that sent it then finds the row changed and leaves it.
            var owed = await db.Set<ScheduledRefund>()
                .Where(r => r.SectionId == section.SectionId && r.EntityId == instruction.EntityId
                            && (r.State == ScheduledRefundState.Pending || r.State == ScheduledRefundState.Instructed)
                            && (r.InstructionId == null || r.InstructionId == instruction.Id))
                .ToListAsync(cancellationToken);
            foreach (var row in owed)
            {
                if (row.InstructionId != instruction.Id)
                {
                    row.Instructed(instruction.Id, now);
                }

                row.Settled(ScheduledRefundState.Done, now);
            }
        }

        await AuditAsync(db, BankActor, section, "deposit-instruction", instruction.Id.ToString(),
            instruction.Kind == InstructionKind.Refund ? "deposits.refund.paid" : "deposits.forfeiture.transferred",
            new { sectionId = section.SectionId, projectId = section.ProjectId, entityId = instruction.EntityId, instructionId = instruction.Id, principal = instruction.Principal, interest = instruction.Interest, bankReference = reply.BankReference },
            cancellationToken);
        await SettledAsync(db, new DepositSettled(refund ? DepositSettlementKinds.RefundPaid : DepositSettlementKinds.ForfeitureTransferred, instruction.Id,
            section.ProjectId, section.SectionId, section.SectionCode, instruction.EntityId, instruction.Principal, instruction.Interest, instruction.BankReference,
            null, now, BankActor), cancellationToken);
        return true;
    }

    /// <summary>Tells the observers (<see cref="IDepositSettlementObserver"/>), in the transaction that records it, what became final.</summary>
    private async Task SettledAsync(TradingDbContext db, DepositSettled settled, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            await observer.SettledAsync(db, settled, cancellationToken);
        }
    }

    private static BankDeposit? ValidDeposit(BankCallbackBody body) =>
        string.IsNullOrWhiteSpace(body.TransactionId) || body.TransactionId.Length > 64 || body.Amount is null || body.ReceivedAt is null
        || string.IsNullOrWhiteSpace(body.PayerAccount)
            ? null
            : new BankDeposit(body.TransactionId.Trim(), body.Amount.Value, Clip(body.PayerName), body.PayerAccount, Clip(body.PayerBank), body.Reference, body.ReceivedAt.Value);

    private static string Clip(string? text) => (text ?? string.Empty).Trim() is { Length: > 200 } long_ ? long_[..200] : (text ?? string.Empty).Trim();

    private static async Task<bool> ReplayedAsync(TradingDbContext db, string bankCode, string signature, CancellationToken cancellationToken)
    {
        var normalized = signature.ToLowerInvariant();
        return await db.Set<CallbackReceipt>().AnyAsync(r => r.BankCode == bankCode && r.Signature == normalized, cancellationToken);
    }

    private static async Task EnsureAccountAsync(TradingDbContext db, DepositSection section, Guid entityId, string entityName, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.Set<DepositAccount>().AnyAsync(a => a.SectionId == section.SectionId && a.EntityId == entityId, cancellationToken)
            || db.ChangeTracker.Entries<DepositAccount>().Any(e => e.Entity.SectionId == section.SectionId && e.Entity.EntityId == entityId))
        {
            return;
        }

        var participant = (await db.Set<DepositAccount>().Where(a => a.SectionId == section.SectionId).Select(a => (int?)a.Participant).MaxAsync(cancellationToken) ?? 0) + 1;
        db.Add(DepositAccount.Open(section, participant, entityId, entityName, now, actor));
    }

    private static object PaymentData(BankPayment payment, DepositSection? section) => new
    {
        paymentId = payment.Id,
        bankTransactionId = payment.BankTransactionId,
        sectionId = section?.SectionId,
        projectId = section?.ProjectId,
        entityId = payment.EntityId,
        amount = payment.Amount,
        payerAccount = payment.PayerAccount,
        flagged = payment.Flagged,
    };

    internal static async Task<DepositSection> SectionAsync(TradingDbContext db, Guid sectionId, CancellationToken cancellationToken) =>
        await db.Set<DepositSection>().SingleOrDefaultAsync(s => s.SectionId == sectionId, cancellationToken)
        ?? throw new DomainRuleException(DepositRules.SectionUnknown, $"Section {sectionId} states no deposit.");

    internal static async Task<SectionDepositLedger> LedgerAsync(TradingDbContext db, DepositSection section, CancellationToken cancellationToken)
    {
        // One change of a section's ledger at a time: the next waits here, then reads the lines this one wrote.
        // (SQLite has one writer anyway; the unique line number catches anything else and the change is retried.)
        await DepositSectionLock.TakeAsync(db, section.SectionId, cancellationToken);

        var lines = await db.Set<LedgerEntry>().Where(e => e.SectionId == section.SectionId).ToListAsync(cancellationToken);
        var refunds = await db.Set<BankInstruction>()
            .Where(i => i.SectionId == section.SectionId && i.Kind == InstructionKind.Refund && i.State != InstructionState.Rejected)
            .ToListAsync(cancellationToken);
        return SectionDepositLedger.Restore(section.SectionId, section.Amount, lines.Select(l => l.ToMovement()), refunds.Select(r => r.ToLedgerRefund()));
    }

    private async Task AuditAsync(TradingDbContext db, string actor, DepositSection? section, string subjectType, string subjectId, string action, object data, CancellationToken cancellationToken) =>
        await trail.AppendAsync(db, new AuditRecord(actor, section?.CentreId, subjectType, subjectId, action, data), cancellationToken);

    /// <summary>Runs a change in its own transaction; a conflicting concurrent change of the same rows is retried.</summary>
    private async Task<T> InTransactionAsync<T>(Func<TradingDbContext, Task<T>> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = database.Create();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var result = await change(db);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                await transaction.RollbackAsync(cancellationToken);
            }
        }
    }
}
