namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// A bank callback the platform accepted, by its signature: a second request with the same signature is a replay and
/// is refused (a bank that retries signs again, with a new timestamp, and is answered idempotently by transaction id).
/// </summary>
public sealed class CallbackReceipt
{
    private CallbackReceipt()
    {
    }

    public Guid Id { get; private set; }

    public string BankCode { get; private set; } = string.Empty;

    public string Signature { get; private set; } = string.Empty;

    public long Timestamp { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>The transaction or instruction id the callback was about.</summary>
    public string Subject { get; private set; } = string.Empty;

    public static CallbackReceipt Of(string bankCode, string signature, long timestamp, string subject, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        BankCode = bankCode,
        Signature = signature.ToLowerInvariant(),
        Timestamp = timestamp,
        ReceivedAt = now,
        Subject = subject.Length > 100 ? subject[..100] : subject,
    };
}
