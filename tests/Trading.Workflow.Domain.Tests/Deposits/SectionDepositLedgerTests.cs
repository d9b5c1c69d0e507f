using Trading.Workflow.Domain.Deposits;

namespace Trading.Workflow.Domain.Tests.Deposits;

public sealed class SectionDepositLedgerTests
{
    private static readonly DateTimeOffset Paid = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);
    private const string BasicAccount = "6222000011112222";
    private readonly Guid _bidder = Guid.NewGuid();
    private readonly SectionDepositLedger _ledger = new(Guid.NewGuid(), requiredAmount: 100_000m);

    private static decimal Settled(SectionDepositLedger ledger, MovementKind kind) =>
        ledger.Movements.Where(m => m.Kind == kind).Sum(m => m.Amount);

    private static void AssertBalances(SectionDepositLedger ledger, params Guid[] participants) =>
        Assert.Equal(ledger.TotalReceived,
            participants.Sum(ledger.HeldFor) + ledger.InSuspense + Settled(ledger, MovementKind.Refunded)
            + Settled(ledger, MovementKind.Forfeited) + Settled(ledger, MovementKind.ConvertedToPrice));

    [Fact]
    public void Receive_FromTheBasicAccount_PaysTheDeposit()
    {
        var movement = _ledger.Receive("B-0001", 100_000m, "6222 0000 1111 2222", _bidder, BasicAccount, Paid);

        Assert.True(_ledger.IsPaid(_bidder));
        Assert.False(movement.PayerIsNotBasicAccount);
    }

    [Fact]
    public void Receive_TheSameBankTransactionTwice_CountsOnce()
    {
        _ledger.Receive("B-0001", 60_000m, BasicAccount, _bidder, BasicAccount, Paid);
        _ledger.Receive("B-0001", 60_000m, BasicAccount, _bidder, BasicAccount, Paid.AddSeconds(30));

        Assert.Equal(60_000m, _ledger.HeldFor(_bidder));
        Assert.False(_ledger.IsPaid(_bidder));
        Assert.Single(_ledger.Movements);
    }

    [Fact]
    public void Receive_TheSameTransactionIdWithAnotherAmount_IsRefused()
    {
        _ledger.Receive("B-0001", 60_000m, BasicAccount, _bidder, BasicAccount, Paid);

        var error = Assert.Throws<DomainRuleException>(() => _ledger.Receive("B-0001", 90_000m, BasicAccount, _bidder, BasicAccount, Paid));

        Assert.Equal(DepositRules.TransactionReused, error.RuleCode);
    }

    [Fact]
    public void Receive_FromAnotherAccount_IsRecordedAndFlagged()
    {
        var movement = _ledger.Receive("B-0002", 100_000m, "6217999900001111", _bidder, BasicAccount, Paid);

        Assert.True(movement.PayerIsNotBasicAccount);
        Assert.True(_ledger.IsPaid(_bidder));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(10.001)]
    public void Receive_AnImpossibleAmount_IsRefused(decimal amount)
    {
        Assert.Throws<DomainRuleException>(() => _ledger.Receive("B-9", amount, BasicAccount, _bidder, BasicAccount, Paid));
    }

    [Fact]
    public void Match_APaymentInSuspense_MovesItToTheParticipant()
    {
        _ledger.Receive("B-0003", 100_000m, "6217999900001111", participantId: null, participantBasicAccount: null, Paid);
        Assert.Equal(100_000m, _ledger.InSuspense);

        var matched = _ledger.Match("B-0003", _bidder, BasicAccount, Paid.AddHours(1), "finance");

        Assert.True(matched.PayerIsNotBasicAccount);
        Assert.Equal(0m, _ledger.InSuspense);
        Assert.True(_ledger.IsPaid(_bidder));
        Assert.Equal(DepositRules.PaymentAlreadyMatched,
            Assert.Throws<DomainRuleException>(() => _ledger.Match("B-0003", Guid.NewGuid(), null, Paid, "finance")).RuleCode);
        AssertBalances(_ledger, _bidder);
    }

    [Fact]
    public void Refund_RetriedAfterATimeOut_IsOneInstructionAndPaidOnce()
    {
        _ledger.Receive("B-0001", 100_000m, BasicAccount, _bidder, BasicAccount, Paid);
        var on = new DateOnly(2027, 1, 31);

        var first = _ledger.RequestRefund(_bidder, BasicAccount, new InterestPolicy(0.0035m), on);
        _ledger.RecordAttempt(first.Id);
        var retry = _ledger.RequestRefund(_bidder, BasicAccount, new InterestPolicy(0.0035m), on);
        _ledger.Confirm(first.Id, Paid.AddDays(60));
        _ledger.Confirm(first.Id, Paid.AddDays(60)); // the bank's callback, delivered twice

        Assert.Equal(first.Id, retry.Id);
        Assert.Equal(1, _ledger.Refunds.Single().Attempts);
        Assert.Equal(100_000m, Settled(_ledger, MovementKind.Refunded));
        Assert.Equal(0m, _ledger.HeldFor(_bidder));
        Assert.Equal(DepositRules.NothingHeld,
            Assert.Throws<DomainRuleException>(() => _ledger.RequestRefund(_bidder, BasicAccount, InterestPolicy.None, on)).RuleCode);
        AssertBalances(_ledger, _bidder);
    }

    [Fact]
    public void Refund_Interest_IsCountedOnA360DayYearFromEachReceipt()
    {
        _ledger.Receive("B-0001", 100_000m, BasicAccount, _bidder, BasicAccount, Paid);

        // 60 days at 0.35 % a year: 100,000 × 0.0035 × 60 / 360 = 58.333… → 58.33.
        var refund = _ledger.RequestRefund(_bidder, BasicAccount, new InterestPolicy(0.0035m), new DateOnly(2027, 1, 31));

        Assert.Equal(58.33m, refund.Interest);
        Assert.Equal(100_000m, refund.Principal);
    }

    [Fact]
    public void Forfeit_WhileARefundIsWithTheBank_IsRefused()
    {
        _ledger.Receive("B-0001", 100_000m, BasicAccount, _bidder, BasicAccount, Paid);
        _ledger.RequestRefund(_bidder, BasicAccount, InterestPolicy.None, new DateOnly(2026, 12, 10));

        var error = Assert.Throws<DomainRuleException>(() => _ledger.Forfeit(_bidder, "中标后拒签合同", Paid, "staff"));

        Assert.Equal(DepositRules.RefundInProgress, error.RuleCode);
    }

    [Fact]
    public void Ledger_BalancesAfterEveryKindOfMovement()
    {
        var winner = Guid.NewGuid();
        var loser = Guid.NewGuid();
        var withdrawn = Guid.NewGuid();
        _ledger.Receive("B-1", 100_000m, BasicAccount, winner, BasicAccount, Paid);
        _ledger.Receive("B-2", 100_000m, BasicAccount, loser, BasicAccount, Paid);
        _ledger.Receive("B-3", 100_000m, BasicAccount, withdrawn, BasicAccount, Paid);
        _ledger.Receive("B-4", 5_000m, "1111222233334444", null, null, Paid);
        AssertBalances(_ledger, winner, loser, withdrawn);

        _ledger.ConvertToPrice(winner, "合同 HT-001", Paid.AddDays(30), "staff");
        _ledger.Forfeit(withdrawn, "截止后撤回投标", Paid.AddDays(1), "staff");
        var refund = _ledger.RequestRefund(loser, BasicAccount, InterestPolicy.None, new DateOnly(2027, 1, 5));
        AssertBalances(_ledger, winner, loser, withdrawn);
        _ledger.Confirm(refund.Id, Paid.AddDays(34));

        AssertBalances(_ledger, winner, loser, withdrawn);
        Assert.Equal(305_000m, _ledger.TotalReceived);
        Assert.Equal(5_000m, _ledger.InSuspense);
        Assert.Equal([0m, 0m, 0m], new[] { winner, loser, withdrawn }.Select(_ledger.HeldFor));
    }
}
