using System.Security.Cryptography;
using System.Text;
using Trading.Workflow.Domain.Openings;

namespace Trading.Workflow.Domain.Tests.Openings;

public sealed class OpeningRulesTests
{
    private static readonly DateTimeOffset Deadline = new(2026, 12, 2, 1, 30, 0, TimeSpan.Zero);
    private static readonly OpeningSection Section = new(
        Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "530100-GC-2026-00017", "演示学校教学楼新建工程", "530100-GC-2026-00017-01", "施工",
        "engineering-construction", "530102");

    private static string RuleOf(Action action) => Assert.Throws<DomainRuleException>(action).RuleCode;

    private static OpeningSession Start(int bids, int minimum = 3) =>
        OpeningSession.Start(Section, bids, minimum, TimeSpan.FromMinutes(30), Deadline, Deadline, null);

    private static OpeningBid Bid(int hoursBefore = 24) => OpeningBid.For(Guid.NewGuid(), new SealedBidView(
        Guid.NewGuid(), Guid.NewGuid(), Section.ProjectId, Section.SectionId, Guid.NewGuid(), "演示建设集团", 1, Deadline.AddHours(-hoursBefore), []));

    [Fact]
    public void Start_WithTwoBids_GoesToRetender_AndOpensNothing()
    {
        var session = Start(2);

        Assert.Equal(OpeningState.Retender, session.State);
        Assert.Equal(2, session.BidCount);
        Assert.False(session.IsWindowOpen(Deadline));
        Assert.Equal(OpeningRules.NotDecrypting, RuleOf(() => session.RequireWindowOpen(Deadline)));
    }

    [Fact]
    public void Start_WithThreeBids_Decrypts_UntilItsOwnWindowEnd()
    {
        var session = Start(3);

        Assert.Equal(OpeningState.Decrypting, session.State);
        Assert.Equal(Deadline.AddMinutes(30), session.WindowEndsAt);
        session.RequireWindowOpen(Deadline.AddMinutes(30).AddTicks(-1));
        Assert.Equal(TimeSpan.FromMinutes(12), session.Remaining(Deadline.AddMinutes(18)));
        Assert.Equal(OpeningRules.WindowClosed, RuleOf(() => session.RequireWindowOpen(Deadline.AddMinutes(30))));
        Assert.Equal(TimeSpan.Zero, session.Remaining(Deadline.AddMinutes(31)));
    }

    [Fact]
    public void Start_MinimumIsASetting()
    {
        Assert.Equal(OpeningState.Decrypting, Start(2, minimum: 2).State);
        Assert.Equal(OpeningState.Retender, Start(4, minimum: 5).State);
    }

    [Fact]
    public void Close_BeforeWindowEnd_NeedsEveryBidDecrypted()
    {
        var session = Start(3);

        Assert.Equal(OpeningRules.CloseEarlyNeedsAll, RuleOf(() => session.Close("staff", Deadline.AddMinutes(10), allDecrypted: false)));
        session.Close("staff", Deadline.AddMinutes(10), allDecrypted: true);

        Assert.Equal((OpeningState.Closed, true, "staff"), (session.State, session.ClosedEarly, session.ClosedBy));
        Assert.Equal(OpeningRules.NotDecrypting, RuleOf(() => session.Close("staff", Deadline.AddMinutes(40), allDecrypted: true)));
    }

    [Fact]
    public void Close_AtWindowEnd_NeedsNothing()
    {
        var session = Start(3);

        session.Close(OpeningActors.Platform, Deadline.AddMinutes(30), allDecrypted: false);

        Assert.False(session.ClosedEarly);
        Assert.True(session.AcceptsObjections(Deadline.AddMinutes(60), TimeSpan.FromMinutes(30)));
        Assert.False(session.AcceptsObjections(Deadline.AddMinutes(60).AddTicks(1), TimeSpan.FromMinutes(30)));
    }

    [Theory]
    [InlineData(DecryptFailureCause.WrongKey, DecryptFault.Bidder, false)]
    [InlineData(DecryptFailureCause.DigestMismatch, DecryptFault.Bidder, false)]
    [InlineData(DecryptFailureCause.LetterInvalid, DecryptFault.Bidder, false)]
    [InlineData(DecryptFailureCause.WindowClosed, DecryptFault.Bidder, true)]
    [InlineData(DecryptFailureCause.CiphertextDamaged, DecryptFault.Platform, true)]
    [InlineData(DecryptFailureCause.SignatureInvalid, DecryptFault.Platform, true)]
    public void Failure_IsClassifiedByWhoseFaultItIs(DecryptFailureCause cause, DecryptFault fault, bool final)
    {
        Assert.Equal(fault, DecryptFailures.FaultOf(cause));
        Assert.Equal(final, DecryptFailures.IsFinal(cause));
    }

    [Fact]
    public void BidderFault_LeavesTheBidPending_AndTheWindowEndSettlesItWithThatCause()
    {
        var bid = Bid();

        Assert.False(bid.Failed(DecryptFailureCause.WrongKey, "bidder", Deadline.AddMinutes(1)));
        Assert.Equal((OpeningBidState.Pending, 1), (bid.State, bid.Attempts));
        bid.FailAtClose(Deadline.AddMinutes(30));

        Assert.Equal(OpeningBidState.Failed, bid.State);
        Assert.Equal((DecryptFailureCause.WrongKey, DecryptFault.Bidder, DepositConsequence.MayBeKept), (bid.LastCause, bid.Fault, bid.Consequence));
    }

    [Fact]
    public void NoAttempt_FailsAtClose_AsWindowClosed_BiddersFault()
    {
        var bid = Bid();

        bid.FailAtClose(Deadline.AddMinutes(30));

        Assert.Equal((DecryptFailureCause.WindowClosed, DecryptFault.Bidder, DepositConsequence.MayBeKept, 0), (bid.LastCause, bid.Fault, bid.Consequence, bid.Attempts));
    }

    [Fact]
    public void PlatformFault_SettlesAtOnce_WithARefund()
    {
        var bid = Bid();

        Assert.True(bid.Failed(DecryptFailureCause.CiphertextDamaged, "bidder", Deadline.AddMinutes(2)));

        Assert.Equal((OpeningBidState.Failed, DecryptFault.Platform, DepositConsequence.Refund), (bid.State, bid.Fault, bid.Consequence));
        Assert.Equal(OpeningRules.AlreadySettled, RuleOf(() => bid.Decrypted(new BidLetter(1m, 1, "合格", ""), "bidder", Deadline.AddMinutes(3))));
    }

    [Theory]
    [InlineData("""{ "price": "1234567.89", "durationDays": 365, "quality": "合格", "remarks": "无" }""", true)]
    [InlineData("""{ "price": 1234567.89, "durationDays": 365, "quality": "合格" }""", true)]
    [InlineData("""{ "price": "-1", "durationDays": 365, "quality": "合格" }""", false)]
    [InlineData("""{ "price": "12.345", "durationDays": 365, "quality": "合格" }""", false)]
    [InlineData("""{ "price": "1000", "durationDays": 0, "quality": "合格" }""", false)]
    [InlineData("""{ "price": "1000", "durationDays": 30, "quality": " " }""", false)]
    [InlineData("""not json""", false)]
    public void BidLetter_IsReadOnlyWhenItHasAPriceADurationAndAQuality(string json, bool valid)
    {
        var letter = BidLetter.TryParse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(valid, letter is not null);
        if (valid)
        {
            Assert.Equal((1234567.89m, 365, "合格"), (letter!.Price, letter.DurationDays, letter.Quality));
        }
    }

    [Fact]
    public void Record_ListsOnlyDecryptedLetters_InArrivalOrder_WithDepositStates()
    {
        var session = Start(3);
        var first = Bid(hoursBefore: 30);
        var second = Bid(hoursBefore: 20);
        var failed = Bid(hoursBefore: 25);
        second.Decrypted(new BidLetter(8_100_000m, 300, "合格", ""), "b2", Deadline.AddMinutes(2));
        first.Decrypted(new BidLetter(8_450_000.5m, 280, "优良", "含税"), "b1", Deadline.AddMinutes(3));
        failed.FailAtClose(Deadline.AddMinutes(30));
        session.Close(OpeningActors.Platform, Deadline.AddMinutes(30), allDecrypted: false);

        var content = OpeningRecordContent.Build(session, [second, failed, first], new Dictionary<Guid, string> { [first.EntityId] = "Paid" });

        Assert.Equal(2, content.Entries.Count);
        Assert.Equal(1, content.NotOpened);
        Assert.All(content.Entries, e => Assert.NotEqual(failed.EntityId, e.EntityId));
        Assert.Equal(["8450000.50", "8100000.00"], content.Entries.Select(e => e.Price));
        Assert.Equal([1, 2], content.Entries.Select(e => e.Order));
        Assert.Equal("Paid", content.Entries.Single(e => e.EntityId == first.EntityId).Deposit);
        Assert.Equal("None", content.Entries.Single(e => e.EntityId == second.EntityId).Deposit);
        Assert.Equal(content.ToCanonicalJson(), OpeningRecordContent.FromJson(content.ToCanonicalJson()).ToCanonicalJson());
    }

    [Fact]
    public void Record_IsNotBuiltBeforeTheSessionCloses()
    {
        Assert.Equal(OpeningRules.NotClosed, RuleOf(() => OpeningRecordContent.Build(Start(3), [], new Dictionary<Guid, string>())));
    }

    [Fact]
    public async Task Decrypt_RoundTripsSm4Cbc_WithBothDigests_AndAWrongKeyFailsThePadding()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var plaintext = RandomNumberGenerator.GetBytes(300_001);
        var ciphertext = OpeningCrypto.Encrypt(key, plaintext);

        var output = new MemoryStream();
        var result = await OpenedBidStore.DecryptAsync(new MemoryStream(ciphertext), key, output, CancellationToken.None);

        Assert.False(result.PaddingFailed);
        Assert.Equal(plaintext, output.ToArray());
        Assert.Equal((OpeningCrypto.Sm3(ciphertext), OpeningCrypto.Sm3(plaintext), 300_001L), (result.CiphertextSm3, result.PlaintextSm3, result.PlaintextLength));
        var wrong = RandomNumberGenerator.GetBytes(16);
        var failures = 0;
        for (var i = 0; i < 8; i++)
        {
            var attempt = await OpenedBidStore.DecryptAsync(new MemoryStream(OpeningCrypto.Encrypt(key, plaintext[..1000])), RandomNumberGenerator.GetBytes(16), Stream.Null, CancellationToken.None);
            failures += attempt.PaddingFailed ? 1 : 0;
        }

        Assert.True(failures >= 6, $"a wrong key failed the padding {failures} times of 8");
        Assert.NotEqual(key, wrong);
    }

    [Fact]
    public void Objection_NeedsText_AndIsAnsweredOnce()
    {
        Assert.Equal(OpeningRules.ObjectionRequired, RuleOf(() => OpeningObjection.Raise(Guid.NewGuid(), Guid.NewGuid(), "甲", "bidder", "  ", Deadline)));
        var objection = OpeningObjection.Raise(Guid.NewGuid(), Guid.NewGuid(), "甲", "bidder", "第二名的工期超出招标文件上限", Deadline);

        objection.Reply("staff", "已记录，提交评标委员会评审", Deadline.AddMinutes(1));

        Assert.Equal(OpeningRules.ObjectionAnswered, RuleOf(() => objection.Reply("staff", "再答", Deadline.AddMinutes(2))));
        Assert.Equal(OpeningRules.ObjectionTooLong, RuleOf(() => OpeningObjection.Raise(Guid.NewGuid(), Guid.NewGuid(), "甲", "bidder", new string('异', 2001), Deadline)));
    }
}
