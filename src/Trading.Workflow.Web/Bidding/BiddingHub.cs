using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Bidding;

namespace Trading.Workflow.Web.Bidding;

/// <summary>What a watcher gets on joining a room: the view, what it missed since the last sequence it saw, who it is.</summary>
public sealed record RoomJoined(LotView View, IReadOnlyList<PublicBidEntry> Missed, RoomRole Role, int? BidderNumber, long ServerTicks);

/// <summary>
/// The answer to a bid, with the refusal's reason as a code and as a sentence in the caller's language; an accepted
/// bid's <see cref="Ordinal"/> is its place among the lot's accepted bids (第 N 次出价), <see cref="Sequence"/> its log entry.
/// </summary>
public sealed record BidAnswer(bool Accepted, string? Reason, string? Message, long Sequence, decimal Amount, decimal? CurrentPrice, decimal? NextValidPrice, DateTimeOffset EndsAt, DateTimeOffset At, bool Repeated, int? Ordinal = null);

/// <summary>
/// The live bidding room over SignalR, one group per lot (<c>/hubs/bidding</c>). <c>Join(lotId, lastSequence)</c>
/// answers the view and every entry after <c>lastSequence</c> (the catch-up after a reconnect), then the client
/// receives <c>update</c> messages (<see cref="LotTicker"/>: the run of entries from <c>from</c> on, in log order and
/// without a gap, in compact columns, and the view after them; at most one per <see cref="BidFeed.PublishInterval"/>).
/// A client whose last sequence is not <c>from − 1</c> calls <c>Join</c> again with it. <c>Bid(lotId, amount, key)</c>
/// is judged by the lot's sequencer; the same key again (a retry after a dropped connection) gets the first answer.
/// <c>Time(clientTicks)</c> answers the server clock, from which the page shows its offset and latency.
/// </summary>
[Authorize]
public sealed class BiddingHub(BiddingAccess access, BiddingEngine engine, BiddingBroadcaster broadcaster, TimeProvider time, IStringLocalizer<BiddingResource> text) : Hub
{
    public const string Path = "/hubs/bidding";

    public static string Group(Guid lotId) => "lot:" + lotId.ToString("N");

    public async Task<RoomJoined> Join(Guid lotId, long lastSequence)
    {
        var viewer = await access.ViewerAsync(Context.User!, lotId, Context.ConnectionAborted)
            ?? throw new HubException(text["Room.NotAllowed"]);
        await broadcaster.EnsureAsync(lotId, Context.ConnectionAborted);
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(lotId), Context.ConnectionAborted);
        var view = await engine.Feed.ViewAsync(lotId, Context.ConnectionAborted);
        var missed = lastSequence < view.LastSequence ? await engine.Feed.SinceAsync(lotId, lastSequence, Context.ConnectionAborted) : [];
        return new RoomJoined(view, missed, viewer.Role, viewer.BidderNumber, time.GetUtcNow().UtcTicks);
    }

    public async Task<BidAnswer> Bid(Guid lotId, decimal amount, string key)
    {
        var viewer = await access.ViewerAsync(Context.User!, lotId, Context.ConnectionAborted);
        if (viewer is not { CanBid: true })
        {
            throw new HubException(text["Room.ReadOnly"]);
        }

        return await BiddingEndpoints.BidAsync(engine, text, lotId, viewer.BidderNumber!.Value, amount, key);
    }

    public long Time(long clientTicks) => time.GetUtcNow().UtcTicks;
}

/// <summary>
/// Forwards each lot's feed on this node to the lot's SignalR group (one feed subscription per lot per node), in the
/// compact <see cref="LotTicker"/> form: serialised once, copied to every watcher of the group.
/// </summary>
public sealed class BiddingBroadcaster(BidFeed feed, IHubContext<BiddingHub> hub) : IDisposable
{
    private readonly Dictionary<Guid, IDisposable> _subscriptions = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task EnsureAsync(Guid lotId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_subscriptions.ContainsKey(lotId))
            {
                var group = BiddingHub.Group(lotId);
                var (_, subscription) = await feed.SubscribeAsync(lotId, update => _ = hub.Clients.Group(group).SendAsync("update", LotTicker.Of(update)), cancellationToken);
                _subscriptions[lotId] = subscription;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions.Values)
        {
            subscription.Dispose();
        }

        _gate.Dispose();
    }
}
