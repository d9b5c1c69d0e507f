using Trading.Workflow.Domain.SealedBids;

namespace Trading.Workflow.Web.Bids;

/// <summary>What the browser's sealing module returns (ClientApp sealed-bid/browser.js <c>sealAndUpload</c>).</summary>
public sealed record SealedBidForm(Guid SectionId, Guid EntityId, int Version, string WrappedKey, string Signature, IReadOnlyList<SealedBidFormItem> Items)
{
    public SealedBidSubmission ToSubmission() => new(SectionId, EntityId, Version, WrappedKey, Signature,
        [.. (Items ?? []).Select(i => new SealedBidSubmissionItem(i.Name, KindOf(i.Kind), i.CiphertextDocumentId, i.PlaintextSm3, i.CiphertextSm3, i.PlaintextSize, i.CiphertextSize))]);

    private static SealedBidItemKind KindOf(string? kind) =>
        Enum.TryParse<SealedBidItemKind>(kind, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new Trading.Workflow.Domain.DomainRuleException(SealedBidRules.ManifestInvalid, $"'{kind}' is not a kind of bid file.");
}

public sealed record SealedBidFormItem(
    string Name, string Kind, Guid CiphertextDocumentId, string PlaintextSm3, string CiphertextSm3, long PlaintextSize, long CiphertextSize);
