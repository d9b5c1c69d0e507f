using System.Text;
using Bunit;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Web.Components.Pages.Openings;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Openings;

/// <summary>
/// The parts of the host console and the bidders' room: the server-time countdown, who has decrypted (names for
/// the host, only its own for a bidder), the signed record with its check, and objections raised and answered.
/// </summary>
public sealed class OpeningComponentsTests : PlatformComponentTest
{
    private static readonly DateTimeOffset Deadline = new(2026, 12, 2, 1, 30, 0, TimeSpan.Zero);
    private static readonly OpeningSection Section = new(
        Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "530100-GC-2026-00017", "演示学校教学楼新建工程", "530100-GC-2026-00017-01", "施工",
        "engineering-construction", "530102");

    private static OpeningSession Session(int bids = 3) => OpeningSession.Start(Section, bids, 3, TimeSpan.FromMinutes(30), Deadline, Deadline, null);

    private static OpeningBid Bid(string name, int hoursBefore) => OpeningBid.For(Guid.NewGuid(), new SealedBidView(
        Guid.NewGuid(), Guid.NewGuid(), Section.ProjectId, Section.SectionId, Guid.NewGuid(), name, 1, Deadline.AddHours(-hoursBefore), []));

    [Fact]
    public void Countdown_ShowsTheTimeLeftOnTheServersClock_ThenTheState()
    {
        var session = Session();

        var running = Render<OpeningCountdown>(p => p.Add(c => c.Session, session).Add(c => c.Now, Deadline.AddMinutes(17).AddSeconds(30)));
        Assert.Equal("12:30", running.Find("[data-testid=countdown-left]").TextContent.Trim());
        Assert.Contains("2026-12-02 09:47:30", running.Find("[data-testid=server-time]").TextContent, StringComparison.Ordinal);

        var ended = Render<OpeningCountdown>(p => p.Add(c => c.Session, session).Add(c => c.Now, Deadline.AddMinutes(30)));
        Assert.Empty(ended.FindAll("[data-testid=countdown-left]"));
        Assert.Contains("解密中", ended.Find("[data-testid=countdown-state]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void BidsTable_ShowsTheHostEveryName_AndABidderOnlyItsOwn_WithCauseAndFault()
    {
        var own = Bid("甲建设集团有限公司", 30);
        var other = Bid("乙路桥工程有限公司", 20);
        own.Decrypted(new BidLetter(8_450_000.5m, 280, "合格", ""), "bidder", Deadline.AddMinutes(3));
        other.Failed(DecryptFailureCause.CiphertextDamaged, "bidder2", Deadline.AddMinutes(4));

        var host = Render<OpeningBidsTable>(p => p.Add(c => c.Bids, [own, other]).Add(c => c.ShowNames, true));
        Assert.Equal(["甲建设集团有限公司", "乙路桥工程有限公司"], host.FindAll("[data-testid=bid-bidder]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["已解密", "解密失败"], host.FindAll("[data-testid=bid-state]").Select(e => e.TextContent.Trim()));
        Assert.Contains("平台存储的密文损坏", host.Markup, StringComparison.Ordinal);
        Assert.Contains("视为投标截止前撤回投标", host.Markup, StringComparison.Ordinal);
        Assert.Contains("保证金予以退还", host.Markup, StringComparison.Ordinal);

        var bidder = Render<OpeningBidsTable>(p => p.Add(c => c.Bids, [own, other]).Add(c => c.OwnEntityId, own.EntityId));
        Assert.Equal(["甲建设集团有限公司", "投标人 2"], bidder.FindAll("[data-testid=bid-bidder]").Select(e => e.TextContent.Trim()));
        Assert.DoesNotContain("乙路桥工程有限公司", bidder.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("平台存储的密文损坏", bidder.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordPanel_WaitsForTheClose_ThenShowsTheSignedRecord_AndTellsABrokenSignature()
    {
        Assert.NotEmpty(Render<OpeningRecordPanel>().FindAll("[data-testid=record-pending]"));

        var (record, publicKey, privateKey) = SignedRecord();
        var panel = Render<OpeningRecordPanel>(p => p.Add(c => c.Record, record));
        Assert.Equal(["8,450,000.50", "8,100,000.00"], panel.FindAll("[data-testid=record-price]").Select(e => e.TextContent.Trim()));
        Assert.Equal(record.Sm3, panel.Find("[data-testid=record-sm3]").TextContent);
        Assert.Equal(publicKey, panel.Find("[data-testid=record-public-key]").TextContent);
        Assert.NotEmpty(panel.FindAll("[data-testid=record-verified]"));
        // On a 390 px phone the 64-digit hash breaks inside the card instead of running off it, like the signature and
        // the key below it; the six-column table scrolls in its own box rather than wrapping names a character a line.
        Assert.Contains("word-break: break-all", panel.Find("[data-testid=record-sm3]").ParentElement!.GetAttribute("style"), StringComparison.Ordinal);
        Assert.NotNull(panel.Find("[data-testid=record-entries]").Closest(".tw-table-scroll"));

        // The same content signed by another key than the one it names does not verify.
        var other = Sm2.GenerateKeyPair();
        var forged = OpeningRecord.Signed(record.Content, Sm2.Sign(other.PrivateKeyHex, OpeningRecord.BytesOf(record.Content)),
            new PlatformPublicKey(PlatformKey.OpeningRecordPurpose, publicKey, "x", Deadline), Deadline);
        Assert.NotEmpty(Render<OpeningRecordPanel>(p => p.Add(c => c.Record, forged)).FindAll("[data-testid=record-broken]"));
        Assert.NotEqual(other.PrivateKeyHex, privateKey);
    }

    [Fact]
    public async Task Objections_ABidderRaises_TheHostAnswers_BothSeeBoth()
    {
        string? raised = null;
        (Guid Id, string Text)? answered = null;
        var bidderView = Render<OpeningObjections>(p => p.Add(c => c.Objections, [])
            .Add(c => c.CanRaise, true)
            .Add(c => c.OnRaise, text => { raised = text; return Task.FromResult(true); }));
        Assert.NotEmpty(bidderView.FindAll("[data-testid=objections-none]"));
        bidderView.Find("textarea[data-testid=objection-input], [data-testid=objection-input] textarea").Input("乙的解密失败应查明原因");
        await bidderView.Find("[data-testid=objection-send]").ClickAsync(new());
        Assert.Equal("乙的解密失败应查明原因", raised);

        var objection = OpeningObjection.Raise(Guid.NewGuid(), Guid.NewGuid(), "甲建设集团有限公司", "bidder", raised!, Deadline.AddMinutes(5));
        var hostView = Render<OpeningObjections>(p => p.Add(c => c.Objections, [objection])
            .Add(c => c.CanAnswer, true)
            .Add(c => c.OnAnswer, (id, text) => { answered = (id, text); return Task.FromResult(true); }));
        hostView.Find("input[data-testid=answer-text], [data-testid=answer-text] input").Input("平台存储故障，保证金退还");
        await hostView.Find("[data-testid=answer-send]").ClickAsync(new());
        Assert.Equal((objection.Id, "平台存储故障，保证金退还"), answered);

        objection.Reply("staff", answered!.Value.Text, Deadline.AddMinutes(6));
        var after = Render<OpeningObjections>(p => p.Add(c => c.Objections, [objection]));
        Assert.Contains("平台存储故障，保证金退还", after.Find("[data-testid=objection-answer]").TextContent, StringComparison.Ordinal);
        Assert.Empty(after.FindAll("[data-testid=objection-input]"));
    }

    private static (OpeningRecord Record, string PublicKey, string PrivateKey) SignedRecord()
    {
        var session = Session();
        var first = Bid("甲建设集团有限公司", 30);
        var second = Bid("乙路桥工程有限公司", 20);
        first.Decrypted(new BidLetter(8_450_000.5m, 280, "合格", ""), "bidder", Deadline.AddMinutes(3));
        second.Decrypted(new BidLetter(8_100_000m, 300, "合格", ""), "bidder2", Deadline.AddMinutes(4));
        session.Close("staff", Deadline.AddMinutes(5), allDecrypted: true);
        var content = OpeningRecordContent.Build(session, [first, second], new Dictionary<Guid, string> { [first.EntityId] = "Paid" });
        var keys = Sm2.GenerateKeyPair();
        var signature = Sm2.Sign(keys.PrivateKeyHex, OpeningRecord.BytesOf(content));
        var record = OpeningRecord.Signed(content, signature, new PlatformPublicKey(PlatformKey.OpeningRecordPurpose, keys.PublicKeyHex, Sm2.Fingerprint(keys.PublicKeyHex), Deadline), Deadline);
        Assert.True(record.Verify(), Encoding.UTF8.GetString(OpeningRecord.BytesOf(content)));
        return (record, keys.PublicKeyHex, keys.PrivateKeyHex);
    }
}
