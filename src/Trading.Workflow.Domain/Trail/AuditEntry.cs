namespace Trading.Workflow.Domain.Trail;

/// <summary>
/// One action in the trail (全程留痕): who did what to which subject, when, in which centre, with its details as
/// canonical JSON. <see cref="Hash"/> covers every field and the previous record's hash, so editing, deleting or
/// reordering any record breaks the chain from that record on. <see cref="KeyId"/> names the <see cref="TrailKey"/> the
/// hash was keyed with (HMAC-SM3); null for a record hashed with plain SM3 (written before the trail had a key).
/// </summary>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    Guid? CentreId,
    string SubjectType,
    string SubjectId,
    string Action,
    string Data,
    byte[] PreviousHash,
    byte[] Hash,
    string? KeyId = null);
