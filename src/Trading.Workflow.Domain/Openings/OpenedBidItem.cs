namespace Trading.Workflow.Domain.Openings;

/// <summary>
/// One decrypted item of an opened bid (tr_opened_bid_items): its plaintext is kept in the opening's own store
/// (<see cref="OpenedBidStore"/>), not in the document registry, because the registry lets the centre's staff read
/// every document of their centre; these are readable only by <see cref="IBidReaders"/>.
/// </summary>
public sealed class OpenedBidItem
{
    private OpenedBidItem()
    {
    }

    public OpenedBidItem(Guid bidId, Guid sessionId, int position, string name, string kind, string plaintextSm3, long length, DateTimeOffset openedAt)
    {
        Id = Guid.NewGuid();
        BidId = bidId;
        SessionId = sessionId;
        Position = position;
        Name = name;
        Kind = kind;
        PlaintextSm3 = plaintextSm3;
        Length = length;
        OpenedAt = openedAt;
    }

    public Guid Id { get; private set; }

    public Guid BidId { get; private set; }

    public Guid SessionId { get; private set; }

    public int Position { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public string Kind { get; private set; } = string.Empty;

    /// <summary>Lower-case hex SM3 of the plaintext; also its name in the store.</summary>
    public string PlaintextSm3 { get; private set; } = string.Empty;

    public long Length { get; private set; }

    public DateTimeOffset OpenedAt { get; private set; }
}
