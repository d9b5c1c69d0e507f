using Trading.Workflow.Domain.Bidding;

namespace Trading.Workflow.Domain.Tests.Bidding;

/// <summary>The bidding rules on the pure book, with the server's arrival times given explicitly.</summary>
public sealed class LotBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);

    private static LotSettings Auction(TimeSpan? extension = null, decimal? cap = null, int[]? multiples = null) => new(
        BiddingMode.Ascending, 1_000_000m, 10_000m, multiples ?? [1, 2, 5], T0, T0.AddMinutes(30), TimeSpan.Zero, extension ?? TimeSpan.FromMinutes(5),
        PriceCap: cap, CapMatchWindow: TimeSpan.FromMinutes(2), SealedRoundLength: TimeSpan.FromMinutes(10));

    private static LotSettings Listing() => new(
        BiddingMode.Listing, 5_000_000m, 50_000m, [1, 2, 3, 4, 5, 10], T0, T0.AddDays(10), TimeSpan.FromMinutes(4), TimeSpan.Zero);

    private static LotBook Book(LotSettings settings, decimal? reserve = null, params int[] bidders)
    {
        var book = LotBook.Open(Guid.NewGuid(), settings, reserve, "salt", T0.AddMinutes(-10));
        foreach (var bidder in bidders.Length == 0 ? [1001, 1002, 1003] : bidders)
        {
            book.Admit(bidder, T0.AddMinutes(-5));
        }

        return book;
    }

    [Fact]
    public void Submit_BelowNextValidOrNotAMultiple_IsRefusedWithItsReason()
    {
        var book = Book(Auction());
        Assert.True(book.Submit(new BidAttempt(1001, 1_000_000m, "a"), T0.AddSeconds(1)).Accepted);

        Assert.Equal(BiddingRules.BelowNextValid, book.Submit(new BidAttempt(1002, 1_000_000m, "b"), T0.AddSeconds(2)).Reason);
        Assert.Equal(BiddingRules.NotMultiple, book.Submit(new BidAttempt(1002, 1_015_000m, "c"), T0.AddSeconds(3)).Reason);
        Assert.Equal(BiddingRules.MultipleNotAllowed, book.Submit(new BidAttempt(1002, 1_030_000m, "d"), T0.AddSeconds(4)).Reason);
        Assert.Equal(BiddingRules.AlreadyLeading, book.Submit(new BidAttempt(1001, 1_010_000m, "e"), T0.AddSeconds(5)).Reason);
        Assert.Equal(BiddingRules.NotEligible, book.Submit(new BidAttempt(4242, 1_010_000m, "f"), T0.AddSeconds(6)).Reason);
        var accepted = book.Submit(new BidAttempt(1002, 1_050_000m, "g"), T0.AddSeconds(7));
        Assert.True(accepted.Accepted);
        Assert.Equal(1_050_000m, book.CurrentPrice);
        Assert.Equal(1_060_000m, book.NextValidPrice);
    }

    [Fact]
    public void Submit_BeforeOpening_IsRefusedNotOpen()
    {
        var book = Book(Auction());
        Assert.Equal(BiddingRules.NotOpen, book.Submit(new BidAttempt(1001, 1_000_000m, "a"), T0.AddMilliseconds(-1)).Reason);
    }

    [Fact]
    public void Extension_BidJustInsideTheLastMinutes_MovesTheEndToThatBidPlusN_AndJustOutsideDoesNot()
    {
        var book = Book(Auction(TimeSpan.FromMinutes(5)));
        var end = T0.AddMinutes(30);
        book.Submit(new BidAttempt(1001, 1_000_000m, "a"), end.AddMinutes(-5).AddMilliseconds(-1));
        Assert.Equal(end, book.EndsAt);

        var inside = end.AddMinutes(-5).AddMilliseconds(1);
        book.Submit(new BidAttempt(1002, 1_010_000m, "b"), inside);
        Assert.Equal(inside.AddMinutes(5), book.EndsAt);

        var last = book.EndsAt.AddMilliseconds(-1);
        Assert.True(book.Submit(new BidAttempt(1001, 1_020_000m, "c"), last).Accepted);
        Assert.Equal(last.AddMinutes(5), book.EndsAt);
    }

    [Fact]
    public void IsExtended_OnlyOnceALateBidMovedTheEndPastTheSchedule_AndNotAfterTheClose()
    {
        var book = Book(Auction(TimeSpan.FromMinutes(5)));
        var end = T0.AddMinutes(30);
        book.Submit(new BidAttempt(1001, 1_000_000m, "a"), end.AddMinutes(-6));
        Assert.False(book.IsExtended);

        book.Submit(new BidAttempt(1002, 1_010_000m, "b"), end.AddMinutes(-1));
        Assert.True(book.IsExtended);

        book.Submit(new BidAttempt(1001, 1_020_000m, "c"), book.EndsAt);
        Assert.True(book.IsClosed);
        Assert.False(book.IsExtended);
    }

    [Fact]
    public void Submit_AtTheEndExactly_IsRefusedAfterClose_AndTheLotClosesAtItsDeadline()
    {
        var book = Book(Auction(), reserve: 1_000_000m);
        book.Submit(new BidAttempt(1001, 1_000_000m, "a"), T0.AddMinutes(1));

        var late = book.Submit(new BidAttempt(1002, 1_010_000m, "b"), T0.AddMinutes(30));

        Assert.False(late.Accepted);
        Assert.Equal(BiddingRules.AfterClose, late.Reason);
        Assert.True(book.IsClosed);
        Assert.Equal(new LotOutcome(true, 1001, 1_000_000m, null, 1_000_000m, false), book.Outcome);
    }

    [Fact]
    public void CallOff_WhileOpen_RefusesLaterBids_AndNeverClosesOrRevealsTheReserve()
    {
        var book = Book(Auction(), reserve: 1_500_000m);
        book.Submit(new BidAttempt(1001, 1_000_000m, "a"), T0.AddMinutes(1));

        var calledOff = book.CallOff("司法查封", T0.AddMinutes(2));

        Assert.NotNull(calledOff);
        Assert.Equal(BidLogKind.CalledOff, calledOff.Kind);
        Assert.DoesNotContain("1500000", calledOff.Data, StringComparison.Ordinal);
        Assert.Equal(LotPhase.CalledOff, book.Phase);
        Assert.Equal("司法查封", book.CallOffReason);
        Assert.Null(book.NextValidPrice);
        var late = book.Submit(new BidAttempt(1002, 1_010_000m, "b"), T0.AddMinutes(3));
        Assert.Equal(BiddingRules.CalledOff, late.Reason);
        // Past the end nothing closes: no outcome, no reserve.
        Assert.Empty(book.Advance(T0.AddDays(1)));
        Assert.Null(book.Outcome);
        Assert.False(book.IsClosed);
        Assert.Null(book.CallOff("again", T0.AddDays(1)));
        Assert.Throws<DomainRuleException>(() => book.Admit(1004, T0.AddDays(1)));
    }

    [Fact]
    public void CallOff_AfterTheEndBeforeTheTick_ClosesWithTheResultTheDeadlineDecided_AndIsRefused()
    {
        var book = Book(Auction(), reserve: 1_000_000m);
        book.Submit(new BidAttempt(1001, 1_000_000m, "a"), T0.AddMinutes(1));

        var refused = Assert.Throws<DomainRuleException>(() => book.CallOff("规划调整", T0.AddMinutes(30)));

        Assert.Equal(BiddingRules.AfterClose, refused.RuleCode);
        Assert.True(book.IsClosed);
        Assert.True(book.Outcome!.Sold);
    }

    [Fact]
    public void Shelve_RefusesEveryLaterCommand_AndNeverOpensClosesOrRevealsTheReserve()
    {
        var book = Book(Auction(), reserve: 1_500_000m, 1001);

        var shelved = book.Shelve("grants.offering.returned", "staff", T0.AddMinutes(-1));

        Assert.NotNull(shelved);
        Assert.Equal(BidLogKind.Shelved, shelved.Kind);
        Assert.DoesNotContain("1500000", shelved.Data, StringComparison.Ordinal);
        Assert.Equal(LotPhase.Shelved, book.Phase);
        Assert.Equal(("grants.offering.returned", "staff"), book.Shelving);
        Assert.True(book.IsEnded);
        Assert.Null(book.NextValidPrice);
        Assert.Equal(BiddingRules.Shelved, Assert.Throws<DomainRuleException>(() => book.Admit(1002, T0.AddMinutes(1))).RuleCode);
        var bid = book.Submit(new BidAttempt(1001, 1_000_000m, "a"), T0.AddMinutes(2));
        Assert.False(bid.Accepted);
        Assert.Equal(BiddingRules.Shelved, bid.Reason);
        Assert.Equal(BiddingRules.Shelved, Assert.Throws<DomainRuleException>(() => book.ChangeIncrement(20_000m, [1], T0.AddMinutes(3))).RuleCode);
        Assert.Equal(BiddingRules.Shelved, Assert.Throws<DomainRuleException>(() => book.CallOff("司法查封", T0.AddMinutes(4))).RuleCode);
        Assert.Null(book.Exclude(1001, T0.AddMinutes(5)));
        Assert.Null(book.Shelve("again", "staff", T0.AddMinutes(6)));
        // Past the end nothing opens or closes.
        Assert.Empty(book.Advance(T0.AddDays(1)));
        Assert.Equal(LotPhase.Shelved, book.Phase);
        Assert.Null(book.Outcome);
    }

    [Fact]
    public void Shelve_PastTheEndWithTheTimerStopped_AppliesNoDeadlineFirst_AndTheVerifierReplaysIt()
    {
        var book = Book(Auction(), reserve: 1_500_000m, 1001);
        var log = new List<BidLogEntry>(book.TakeAppended());

        // Shelved a day after the sale would have closed: no opening, no close, no reserve on the way.
        book.Shelve(BiddingEngine.StoppedTimerReason, BiddingEngine.SystemActor, T0.AddDays(1));
        book.Submit(new BidAttempt(1001, 1_000_000m, "a"), T0.AddDays(1).AddMinutes(1));
        log.AddRange(book.TakeAppended());

        Assert.Equal([BidLogKind.Opened, BidLogKind.Admitted, BidLogKind.Shelved, BidLogKind.Bid], log.Select(e => e.Kind));
        var replay = BidLogVerifier.Verify(log);
        Assert.True(replay.Valid, replay.Problem);
        Assert.Null(replay.Outcome);
        Assert.Equal(log.Count, replay.Entries);

        // Who shelved it changed after the fact: the entry's hash no longer matches.
        var index = log.FindIndex(e => e.Kind == BidLogKind.Shelved);
        var edited = log.ToList();
        edited[index] = log[index] with { Data = log[index].Data!.Replace("system", "someone", StringComparison.Ordinal) };
        Assert.Equal(log[index].Sequence, BidLogVerifier.Verify(edited).FirstBadSequence);

        // The Shelved entry taken out and the chain rehashed: the refused bid is then judged differently.
        var rechained = new List<BidLogEntry>();
        foreach (var entry in log.Where(e => e.Kind != BidLogKind.Shelved))
        {
            var previous = rechained.Count == 0 ? BidLogEntry.GenesisHash : rechained[^1].Hash;
            var moved = entry with { Sequence = rechained.Count + 1, PreviousHash = previous };
            rechained.Add(moved with { Hash = moved.ExpectedHash() });
        }

        Assert.False(BidLogVerifier.Verify(rechained).Valid);

        // A close forged after the Shelved entry, rehashed: the rules derive no close for a shelved lot.
        var last = log[^1];
        var forged = last with { Sequence = last.Sequence + 1, Kind = BidLogKind.PhaseChanged, BidderNumber = null, Amount = null, IdempotencyKey = null, Accepted = true, Reason = null,
            Data = "{\"phase\":\"Open\",\"endsAt\":\"2026-12-04T02:30:00+00:00\"}", PreviousHash = last.Hash };
        forged = forged with { Hash = forged.ExpectedHash() };
        var extended = log.Append(forged).ToList();
        Assert.Equal(forged.Sequence, BidLogVerifier.Verify(extended).FirstBadSequence);
    }

    [Fact]
    public void Tie_AtTheSameMillisecond_TheEarlierArrivalWinsAndTheSecondIsBelowTheNextValidPrice()
    {
        var book = Book(Auction());
        var at = T0.AddMinutes(3);
        var first = book.Submit(new BidAttempt(1002, 1_000_000m, "x"), at);
        var second = book.Submit(new BidAttempt(1003, 1_000_000m, "y"), at);

        Assert.True(first.Accepted);
        Assert.Equal(BiddingRules.BelowNextValid, second.Reason);
        Assert.Equal(1002, book.LeaderNumber);
    }

    [Fact]
    public void Close_BestBidBelowReserve_IsNoSale()
    {
        var book = Book(Auction(), reserve: 1_500_000m);
        book.Submit(new BidAttempt(1001, 1_000_000m, "a"), T0.AddMinutes(1));
        book.Submit(new BidAttempt(1002, 1_050_000m, "b"), T0.AddMinutes(2));

        book.Advance(T0.AddHours(1));

        Assert.Equal(new LotOutcome(false, null, 1_050_000m, NoSaleReasons.ReserveNotMet, 1_500_000m, false), book.Outcome);
    }

    [Fact]
    public void Close_WithoutBids_IsNoSale()
    {
        var book = Book(Auction());
        book.Advance(T0.AddHours(1));
        Assert.Equal(NoSaleReasons.NoBids, book.Outcome!.NoSaleReason);
    }

    [Fact]
    public void Listing_TwoBiddersAtFreePeriodEnd_GoToTimedPhase_EachBidResetsTheCountdown()
    {
        var book = Book(Listing(), reserve: 5_000_000m);
        var free = T0.AddDays(10);
        book.Submit(new BidAttempt(1001, 5_000_000m, "a"), T0.AddDays(2));
        book.Submit(new BidAttempt(1002, 5_050_000m, "b"), T0.AddDays(3));

        var bid = free.AddMinutes(3);
        Assert.True(book.Submit(new BidAttempt(1001, 5_100_000m, "c"), bid).Accepted);

        Assert.Equal(LotPhase.Timed, book.Phase);
        Assert.Equal(bid.AddMinutes(4), book.EndsAt);
        book.Advance(bid.AddMinutes(4));
        Assert.Equal(new LotOutcome(true, 1001, 5_100_000m, null, 5_000_000m, false), book.Outcome);
    }

    [Fact]
    public void Listing_OneBidderAtFreePeriodEnd_SkipsTheTimedPhase_BestListingOfferDecides()
    {
        var book = Book(Listing(), reserve: 5_000_000m);
        book.Submit(new BidAttempt(1003, 5_000_000m, "a"), T0.AddDays(1));

        book.Advance(T0.AddDays(10));

        Assert.True(book.IsClosed);
        Assert.Equal(1003, book.Outcome!.WinnerNumber);
    }

    [Fact]
    public void Listing_IncrementChangedDuringTheListing_AppliesToTheNextBids()
    {
        var book = Book(Listing());
        book.Submit(new BidAttempt(1001, 5_000_000m, "a"), T0.AddDays(1));
        book.ChangeIncrement(100_000m, [1, 2], T0.AddDays(2));

        Assert.Equal(BiddingRules.BelowNextValid, book.Submit(new BidAttempt(1002, 5_050_000m, "b"), T0.AddDays(3)).Reason);
        Assert.Equal(BiddingRules.NotMultiple, book.Submit(new BidAttempt(1002, 5_150_000m, "b2"), T0.AddDays(3)).Reason);
        Assert.True(book.Submit(new BidAttempt(1002, 5_200_000m, "c"), T0.AddDays(3)).Accepted);
    }

    [Fact]
    public void PriceCap_Reached_SwitchesToASealedRoundAmongThoseWhoReachedIt()
    {
        var book = Book(Auction(cap: 1_050_000m), reserve: 1_000_000m);
        book.Submit(new BidAttempt(1001, 1_040_000m, "a"), T0.AddMinutes(1));
        Assert.Equal(BiddingRules.AboveCap, book.Submit(new BidAttempt(1002, 1_060_000m, "b"), T0.AddMinutes(2)).Reason);
        Assert.True(book.Submit(new BidAttempt(1002, 1_050_000m, "c"), T0.AddMinutes(2)).Accepted);
        Assert.Equal(LotPhase.CapMatch, book.Phase);
        Assert.True(book.Submit(new BidAttempt(1003, 1_050_000m, "d"), T0.AddMinutes(3)).Accepted);
        Assert.Equal(BiddingRules.CapMatchOnly, book.Submit(new BidAttempt(1001, 1_040_000m, "e"), T0.AddMinutes(3)).Reason);

        Assert.Equal(BiddingRules.NotInSealedRound, book.Submit(new BidAttempt(1001, 1_200_000m, "f"), T0.AddMinutes(5)).Reason);
        Assert.Equal(LotPhase.SealedRound, book.Phase);
        Assert.True(book.IsSealedAmount(book.LastSequence));
        Assert.True(book.Submit(new BidAttempt(1002, 1_150_000m, "g"), T0.AddMinutes(6)).Accepted);
        Assert.True(book.Submit(new BidAttempt(1003, 1_180_000m, "h"), T0.AddMinutes(7)).Accepted);
        Assert.Equal(BiddingRules.AlreadyOffered, book.Submit(new BidAttempt(1003, 1_190_000m, "i"), T0.AddMinutes(8)).Reason);

        book.Advance(T0.AddHours(1));
        Assert.Equal(new LotOutcome(true, 1003, 1_180_000m, null, 1_000_000m, true), book.Outcome);
    }

    [Fact]
    public void Sealed_OneOfferEach_HighestWins_TieByEarliestArrival()
    {
        var settings = new LotSettings(BiddingMode.Sealed, 100m, 1m, [], T0, T0.AddHours(1), TimeSpan.Zero, TimeSpan.Zero);
        var book = Book(settings);
        book.Submit(new BidAttempt(1002, 150m, "a"), T0.AddMinutes(2));
        book.Submit(new BidAttempt(1001, 150m, "b"), T0.AddMinutes(2));
        Assert.Equal(BiddingRules.AlreadyOffered, book.Submit(new BidAttempt(1001, 160m, "c"), T0.AddMinutes(3)).Reason);
        Assert.Null(book.CurrentPrice);

        book.Advance(T0.AddHours(1));

        Assert.Equal(1002, book.Outcome!.WinnerNumber);
    }

    [Fact]
    public void Descending_LowestWins_ReserveIsTheCeiling()
    {
        var settings = new LotSettings(BiddingMode.Descending, 1_000m, 10m, [1, 2], T0, T0.AddHours(1), TimeSpan.Zero, TimeSpan.Zero);
        var book = Book(settings, reserve: 950m);
        Assert.True(book.Submit(new BidAttempt(1001, 1_000m, "a"), T0.AddMinutes(1)).Accepted);
        Assert.Equal(BiddingRules.BelowNextValid, book.Submit(new BidAttempt(1002, 1_000m, "b"), T0.AddMinutes(2)).Reason);
        Assert.True(book.Submit(new BidAttempt(1002, 980m, "c"), T0.AddMinutes(2)).Accepted);
        Assert.True(book.Submit(new BidAttempt(1001, 970m, "d"), T0.AddMinutes(3)).Accepted);
        book.Advance(T0.AddHours(1));
        Assert.Equal(NoSaleReasons.ReserveNotMet, book.Outcome!.NoSaleReason);
    }

    [Fact]
    public void Submit_RepeatedIdempotencyKey_ReturnsTheFirstJudgementAndAppendsNothing()
    {
        var book = Book(Auction());
        var first = book.Submit(new BidAttempt(1001, 1_000_000m, "k"), T0.AddMinutes(1));
        var length = book.LastSequence;

        var again = book.Submit(new BidAttempt(1001, 1_000_000m, "k"), T0.AddMinutes(2));

        Assert.Same(first, again);
        Assert.Equal(length, book.LastSequence);
    }

    [Fact]
    public void Verifier_ReplaysTheLog_ToTheSameOutcome_AndFindsATamperedEntry()
    {
        var book = Book(Listing(), reserve: 5_000_000m);
        var log = new List<BidLogEntry>(book.TakeAppended());
        book.Submit(new BidAttempt(1001, 5_000_000m, "a"), T0.AddDays(1));
        book.ChangeIncrement(100_000m, [1, 2], T0.AddDays(2));
        book.Submit(new BidAttempt(1002, 5_050_000m, "b"), T0.AddDays(3));
        book.Submit(new BidAttempt(1002, 5_100_000m, "c"), T0.AddDays(3));
        book.Submit(new BidAttempt(1001, 5_300_000m, "d"), T0.AddDays(10).AddMinutes(1));
        book.Submit(new BidAttempt(1002, 5_400_000m, "e"), T0.AddDays(10).AddMinutes(4));
        book.Advance(T0.AddDays(11));
        log.AddRange(book.TakeAppended());

        var result = BidLogVerifier.Verify(log);

        Assert.True(result.Valid, result.Problem);
        Assert.Equal(book.Outcome, result.Outcome);
        Assert.Equal(1002, result.Outcome!.WinnerNumber);

        // An accepted bid turned into a higher one, its hash recomputed: the chain holds, the rules do not.
        var index = log.FindIndex(e => e.IdempotencyKey == "c");
        var e = log[index];
        var forged = e with { Amount = 5_500_000m };
        forged = forged with { Hash = forged.ExpectedHash() };
        var tampered = log.ToList();
        tampered[index] = forged;
        Assert.False(BidLogVerifier.Verify(tampered).Valid);

        // A dropped line.
        var dropped = log.ToList();
        dropped.RemoveAt(index);
        Assert.Equal(log[index].Sequence, BidLogVerifier.Verify(dropped).FirstBadSequence);
    }

    [Fact]
    public void Book_AmountsWithTrailingZeros_AreHeldAsTheLogReadsThemBack()
    {
        // The scale of an offering's numeric(18,2) column (50000000.00) must not reach the entries' data: the stored
        // log reads amounts back without it, and the verifier re-derives the Closed entry from those.
        var settings = Listing() with { StartPrice = 5_000_000.00m, Increment = 50_000.00m };
        var book = LotBook.Open(Guid.NewGuid(), settings, 5_000_000.000m, "salt", T0.AddMinutes(-10));
        book.Admit(1001, T0.AddMinutes(-5));
        book.Admit(1002, T0.AddMinutes(-5));
        book.Submit(new BidAttempt(1001, 5_000_000.00m, "a"), T0.AddDays(1));
        book.ChangeIncrement(100_000.00m, [1, 2], T0.AddDays(2));
        book.Submit(new BidAttempt(1002, book.NextValidPrice!.Value, "b"), T0.AddDays(3));
        book.Advance(T0.AddDays(11));
        var log = book.TakeAppended();

        Assert.All(log.Where(e => e.Data is not null), e => Assert.DoesNotContain(".0", e.Data!, StringComparison.Ordinal));
        Assert.Equal("5100000", BidLogEntry.FormatAmount(book.CurrentPrice!.Value));
        Assert.Equal(book.CurrentPrice.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), BidLogEntry.FormatAmount(book.CurrentPrice.Value));
        var result = BidLogVerifier.Verify(log);
        Assert.True(result.Valid, result.Problem);
        Assert.Equal(book.Outcome, result.Outcome);
    }

    [Fact]
    public void Open_PricesNotInFen_AreRefused_AndAnIncrementChangeNotInFenToo()
    {
        Assert.Equal(BiddingRules.SettingsInvalid, Assert.Throws<DomainRuleException>(() => Book(Auction() with { StartPrice = 1_000_000.005m })).RuleCode);
        Assert.Equal(BiddingRules.SettingsInvalid, Assert.Throws<DomainRuleException>(() => Book(Auction() with { Increment = 0.001m })).RuleCode);
        var book = Book(Listing());
        Assert.Equal(BiddingRules.SettingsInvalid, Assert.Throws<DomainRuleException>(() => book.ChangeIncrement(50_000.001m, [], T0.AddDays(1))).RuleCode);
    }

    [Fact]
    public void Verifier_TwoEntriesSwapped_OrAHashChanged_FailsAtTheFirstEntryConcerned()
    {
        var book = Book(Auction(), reserve: 1_000_000m);
        book.Submit(new BidAttempt(1001, 1_000_000m, "a"), T0.AddMinutes(1));
        book.Submit(new BidAttempt(1002, 1_010_000m, "b"), T0.AddMinutes(2));
        book.Submit(new BidAttempt(1003, 1_020_000m, "c"), T0.AddMinutes(3));
        book.Advance(T0.AddHours(1));
        var log = book.TakeAppended().ToList();
        var a = log.FindIndex(e => e.IdempotencyKey == "a");

        var swapped = log.ToList();
        (swapped[a], swapped[a + 1]) = (swapped[a + 1], swapped[a]);
        Assert.Equal(log[a].Sequence, BidLogVerifier.Verify(swapped).FirstBadSequence);

        var rehashed = log.ToList();
        rehashed[a + 1] = rehashed[a + 1] with { Hash = new string('1', 64) };
        Assert.Equal(log[a + 1].Sequence, BidLogVerifier.Verify(rehashed).FirstBadSequence);

        // The outcome the engine recorded is reported beside a failed replay.
        Assert.Equal(book.Outcome, BidLogVerifier.Verify(swapped).RecordedOutcome);
    }
}
