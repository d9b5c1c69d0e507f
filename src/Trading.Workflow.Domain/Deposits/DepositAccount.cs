namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// A bidder's virtual sub-account for one section (虚拟子账号): the number it pays its deposit into, shown to it, by
/// which the bank's payment is matched to the bidder and the section.
/// </summary>
public sealed class DepositAccount
{
    private DepositAccount()
    {
    }

    public Guid Id { get; private set; }

    public Guid SectionId { get; private set; }

    public Guid EntityId { get; private set; }

    /// <summary>The entity's name when the account was opened (market entities live in their own module).</summary>
    public string EntityName { get; private set; } = string.Empty;

    /// <summary>The participant's number within the section (digits 9–12 of the sub-account).</summary>
    public int Participant { get; private set; }

    public string Number { get; private set; } = string.Empty;

    public DateTimeOffset OpenedAt { get; private set; }

    public string OpenedBy { get; private set; } = string.Empty;

    public static DepositAccount Open(DepositSection section, int participant, Guid entityId, string entityName, DateTimeOffset now, string by)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentException.ThrowIfNullOrWhiteSpace(entityName);
        return new DepositAccount
        {
            Id = Guid.NewGuid(),
            SectionId = section.SectionId,
            EntityId = entityId,
            EntityName = entityName.Trim(),
            Participant = participant,
            Number = SubAccountNumber.Create(section.Serial, participant),
            OpenedAt = now,
            OpenedBy = by,
        };
    }
}
