using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Openings;

/// <summary>An item of a sealed bid as signed in its manifest: where its ciphertext is and what its plaintext must hash to.</summary>
/// <param name="Kind">BidLetter, Document or BillOfQuantities.</param>
/// <param name="CiphertextSm3">Lower-case hex SM3 of the stored ciphertext (IV || SM4-CBC).</param>
/// <param name="PlaintextSm3">Lower-case hex SM3 of the plaintext.</param>
/// <param name="Size">The plaintext's size in bytes.</param>
public sealed record SealedBidItemView(string Name, string Kind, Guid CiphertextDocumentId, string CiphertextSm3, string PlaintextSm3, long Size)
{
    public const string BidLetterKind = "BidLetter";

    public bool IsBidLetter => string.Equals(Kind, BidLetterKind, StringComparison.Ordinal);
}

/// <summary>A sealed bid as the opening sees it: its bidder, version, arrival and items. The plaintext is not in it.</summary>
/// <param name="WrappedKeyHex">The content key SM2-encrypted to the bidder's own public key (only its private key opens it).</param>
public sealed record SealedBidView(
    Guid BidId, Guid ParticipationId, Guid ProjectId, Guid SectionId, Guid EntityId, string EntityName, int Version, DateTimeOffset ArrivedAt,
    IReadOnlyList<SealedBidItemView> Items, string WrappedKeyHex = "");

/// <summary>
/// The sealed bids the opening reads and settles (the SealedBids part implements it over its tables; government
/// procurement reuses the opening through the same seam). Every call works in the caller's context and transaction.
/// </summary>
public interface ISealedBidBox
{
    /// <summary>The section's bids that are Submitted (the current version of each participation), oldest arrival first.</summary>
    Task<IReadOnlyList<SealedBidView>> SubmittedAsync(TradingDbContext db, Guid sectionId, CancellationToken cancellationToken);

    Task<SealedBidView?> FindAsync(TradingDbContext db, Guid bidId, CancellationToken cancellationToken);

    /// <summary>Whether the bid's stored manifest still verifies (SM2 with SM3) against its bidder's public key.</summary>
    Task<bool> VerifySignatureAsync(TradingDbContext db, Guid bidId, CancellationToken cancellationToken);

    /// <summary>Marks the bid Opened (its plaintext matched the signed manifest).</summary>
    Task MarkOpenedAsync(TradingDbContext db, Guid bidId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Marks the bid DecryptFailed with its cause.</summary>
    Task MarkDecryptFailedAsync(TradingDbContext db, Guid bidId, string cause, DateTimeOffset at, CancellationToken cancellationToken);
}
