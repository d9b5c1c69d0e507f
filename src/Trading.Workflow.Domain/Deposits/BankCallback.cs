using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// The body of a bank callback (JSON): a deposit that arrived (<c>"type": "deposit"</c>), or the outcome of one of the
/// platform's instructions (<c>"type": "instruction"</c>). Amounts are decimal yuan, as a JSON number or string.
/// </summary>
public sealed record BankCallbackBody
{
    public string? Type { get; init; }

    public string? TransactionId { get; init; }

    public decimal? Amount { get; init; }

    public string? PayerName { get; init; }

    public string? PayerAccount { get; init; }

    public string? PayerBank { get; init; }

    /// <summary>The sub-account paid into, or the reference the payer wrote.</summary>
    public string? Reference { get; init; }

    public DateTimeOffset? ReceivedAt { get; init; }

    public Guid? InstructionId { get; init; }

    /// <summary><c>paid</c> or <c>rejected</c> for an instruction.</summary>
    public string? Status { get; init; }

    public string? BankReference { get; init; }

    public string? Reason { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public static BankCallbackBody? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize<BankCallbackBody>(body, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static byte[] Deposit(BankDeposit deposit)
    {
        ArgumentNullException.ThrowIfNull(deposit);
        return JsonSerializer.SerializeToUtf8Bytes(new BankCallbackBody
        {
            Type = "deposit",
            TransactionId = deposit.TransactionId,
            Amount = deposit.Amount,
            PayerName = deposit.PayerName,
            PayerAccount = deposit.PayerAccount,
            PayerBank = deposit.PayerBank,
            Reference = deposit.Reference,
            ReceivedAt = deposit.ReceivedAt,
        }, JsonOptions);
    }

    public static byte[] InstructionOutcome(Guid instructionId, bool paid, string bankReference, string? reason = null) =>
        JsonSerializer.SerializeToUtf8Bytes(new BankCallbackBody
        {
            Type = "instruction",
            InstructionId = instructionId,
            Status = paid ? "paid" : "rejected",
            BankReference = bankReference,
            Reason = reason,
        }, JsonOptions);
}

public enum CallbackOutcome
{
    /// <summary>Recorded (a payment, or an instruction's outcome).</summary>
    Recorded,

    /// <summary>The same bank transaction was recorded before: nothing changed, the first record is answered.</summary>
    Duplicate,

    UnknownBank,

    /// <summary>Missing or malformed headers, a wrong signature: not from the bank.</summary>
    BadSignature,

    /// <summary>The timestamp is outside the accepted window.</summary>
    Stale,

    /// <summary>This exact signed request was processed before.</summary>
    Replayed,

    /// <summary>Signed correctly, but the body is not a callback the platform understands.</summary>
    BadBody,
}

/// <summary>What the platform answers a bank callback.</summary>
public sealed record CallbackResult(CallbackOutcome Outcome, string? Detail = null, Guid? PaymentId = null, PaymentMatch? Match = null, bool Flagged = false)
{
    public bool Succeeded => Outcome is CallbackOutcome.Recorded or CallbackOutcome.Duplicate;
}
