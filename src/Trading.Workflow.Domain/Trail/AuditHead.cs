namespace Trading.Workflow.Domain.Trail;

/// <summary>
/// Where the trail's chain ends: its length and last hash, moved in the same transaction as every append. Deleting the
/// last records leaves the chain shorter than its head says; on PostgreSQL the row is also what appends queue on.
/// </summary>
public sealed class AuditHead
{
    public const string TradeChain = "trade";

    public AuditHead(string chain, long length, byte[] hash)
    {
        Chain = chain;
        Length = length;
        Hash = hash;
    }

    public string Chain { get; private set; }

    public long Length { get; private set; }

    public byte[] Hash { get; private set; }

    internal void MoveTo(AuditEntry entry)
    {
        Length = entry.Sequence;
        Hash = entry.Hash;
    }
}
