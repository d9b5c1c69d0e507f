using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Domain.Tests.SealedBids;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Openings;

/// <summary>
/// The opening over the real sealed bids (the SealedBids part's service, tables and crypto): bids submitted before
/// the deadline, counted at it, each unwrapped with its bidder's private key (what the browser does) and decrypted
/// by the server, the sealed bids moved to Opened / DecryptFailed.
/// </summary>
public sealed class SealedBidOpeningTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task SubmittedBids_AreCountedOpenedWithTheirBiddersKeys_AndFailuresMarkTheSealedBid(DatabaseProvider provider)
    {
        await using var host = await SealedBidsHost.StartAsync(provider);
        var deadline = SealedBidsHost.Start.AddDays(20);
        await host.SetDeadlineAsync(deadline);
        var bidders = new[]
        {
            await host.BidderAsync("bidder", "91350100M000100Y4"),
            await host.BidderAsync("bidder2", "91350100M000200Y1"),
            await host.BidderAsync("bidder3", "91350100M000300Y9"),
        };
        var prices = new[] { "8450000.50", "8100000.00", "8300000.00" };
        for (var i = 0; i < bidders.Length; i++)
        {
            var (submission, _) = await host.SealAsync(bidders[i], 1, prices[i]);
            await host.Bids.SubmitAsync(submission, bidders[i].User);
            host.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        host.Clock.Advance(TimeSpan.FromDays(20));
        var openings = host.Services.GetRequiredService<OpeningService>();
        OpeningSession session;
        await using (var db = host.Projects.Database.Database.Create())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            session = await openings.StartAsync(db, host.Section.Id, deadline, null, default);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        Assert.Equal((OpeningState.Decrypting, 3), (session.State, session.BidCount));
        var view = (await openings.GetAsync(session.Id))!;
        Assert.Equal(["演示建设集团有限公司bidder", "演示建设集团有限公司bidder2", "演示建设集团有限公司bidder3"], view.Bids.Select(b => b.EntityName));

        // The browser's part: unwrap the content key with the bidder's private key.
        string Unwrap(SealedBidsHost.Bidder bidder, string wrapped) => Convert.ToHexString(Sm2.Decrypt(bidder.Keys.PrivateKeyHex, wrapped));
        var first = await openings.DecryptAsync(new(session.Id, bidders[0].EntityId, "bidder",
            Unwrap(bidders[0], await openings.WrappedKeyAsync(session.Id, bidders[0].EntityId))));
        var wrongKey = await openings.DecryptAsync(new(session.Id, bidders[1].EntityId, "bidder2",
            Unwrap(bidders[0], await openings.WrappedKeyAsync(session.Id, bidders[0].EntityId))));

        Assert.Equal(OpeningBidState.Decrypted, first.State);
        // Another bid's key fails the SM4 padding, except in the 1 in 256 cases where its garbage ends in valid padding:
        // then the plaintext digest is what gives it away (DecryptFailureCause.DigestMismatch). Both are the bidder's fault.
        Assert.Equal(OpeningBidState.Pending, wrongKey.State);
        Assert.Contains(wrongKey.Cause, new DecryptFailureCause?[] { DecryptFailureCause.WrongKey, DecryptFailureCause.DigestMismatch });

        host.Clock.Advance(TimeSpan.FromMinutes(31));
        OpeningRecord record;
        await using (var db = host.Projects.Database.Database.Create())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var tracked = await db.Set<OpeningSession>().SingleAsync(s => s.Id == session.Id);
            record = await openings.CloseAsync(db, tracked, OpeningActors.Platform, default);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        Assert.True(record.Verify());
        Assert.Equal(["8450000.50"], record.Content.Entries.Select(e => e.Price));
        await using var read = host.Projects.Database.Database.Create();
        var states = await read.Set<SealedBid>().AsNoTracking().Where(b => b.SectionId == host.Section.Id).OrderBy(b => b.ArrivedAt)
            .Select(b => new { b.State, b.FailureCause, b.FailureFault }).ToListAsync();
        Assert.Equal(SealedBidState.Opened, states[0].State);
        Assert.Equal((SealedBidState.DecryptFailed, wrongKey.Cause.ToString(), "Bidder"), (states[1].State, states[1].FailureCause, states[1].FailureFault));
        Assert.Equal((SealedBidState.DecryptFailed, "WindowClosed", "Bidder"), (states[2].State, states[2].FailureCause, states[2].FailureFault));
    }
}
