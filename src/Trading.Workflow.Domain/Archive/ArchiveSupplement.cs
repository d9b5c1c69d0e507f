using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Archive;

/// <summary>
/// Where one bidder's deposit in a section stands, as a supplement recorded it. Written by its name in the packages'
/// <c>records/deposit-ledger.json</c> and in <see cref="ArchiveSupplement.LedgerJson"/>, as the packages write every other
/// state; ledgers written before as numbers still read.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SupplementDepositState>))]
public enum SupplementDepositState
{
    /// <summary>Still held: not refunded, forfeited or converted yet.</summary>
    Held,

    /// <summary>A refund is decided or accepted by the bank but not paid yet (待退还).</summary>
    AwaitingPayment,

    /// <summary>Refunded and paid by the bank.</summary>
    Refunded,

    Forfeited,

    ConvertedToPrice,

    /// <summary>Nothing was ever held for the bidder (a guarantee, or no payment).</summary>
    None,
}

/// <summary>One bidder's line of a section's deposit ledger at the time of a supplement (what <c>/archive</c> shows).</summary>
public sealed record SupplementLedgerLine(
    string SectionCode, Guid EntityId, string EntityName, SupplementDepositState State, decimal Received, decimal Held, decimal Refunded, decimal Interest,
    decimal Forfeited, string? BankReference, DateTimeOffset? PaidAt);

/// <summary>
/// A supplement (补充归档) of a project's archive (tr_archive_supplements): made when a deposit of the archived project
/// became final (a refund paid or refused by the bank, a forfeiture transferred, a refund owed that found nothing held),
/// it records the project's deposit ledgers as they then stand in a package of its own (zip in the Documents registry,
/// same manifest form, linked to the original package and the previous supplement by their SM3s). The original package
/// is never rewritten. One per (project, reason, subject): the same bank callback twice makes one.
/// </summary>
public sealed class ArchiveSupplement
{
    private ArchiveSupplement()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid CentreId { get; private set; }

    /// <summary>1, 2, 3… per project, in the order they were made.</summary>
    public int Sequence { get; private set; }

    /// <summary>Why it was made: a <see cref="Deposits.DepositSettlementKinds"/> value.</summary>
    public string Reason { get; private set; } = string.Empty;

    /// <summary>The bank instruction (or scheduled refund) that became final.</summary>
    public Guid SubjectId { get; private set; }

    public Guid SectionId { get; private set; }

    public string SectionCode { get; private set; } = string.Empty;

    public Guid EntityId { get; private set; }

    public decimal Principal { get; private set; }

    public decimal Interest { get; private set; }

    public string? BankReference { get; private set; }

    public DateTimeOffset MadeAt { get; private set; }

    public string MadeBy { get; private set; } = string.Empty;

    public Guid PackageDocumentId { get; private set; }

    public string PackageSm3 { get; private set; } = string.Empty;

    public string ManifestSm3 { get; private set; } = string.Empty;

    public int Entries { get; private set; }

    /// <summary>The original package's manifest SM3 (<see cref="ProjectArchive.ManifestSm3"/>) the supplement names.</summary>
    public string OriginalManifestSm3 { get; private set; } = string.Empty;

    /// <summary>The manifest SM3 of the supplement before this one; null for the first.</summary>
    public string? PreviousManifestSm3 { get; private set; }

    /// <summary>The ledger lines as the package records them (<see cref="Ledger"/>), kept for the list page.</summary>
    public string LedgerJson { get; private set; } = "[]";

    public IReadOnlyList<SupplementLedgerLine> Ledger => JsonSerializer.Deserialize<List<SupplementLedgerLine>>(LedgerJson, ArchiveManifest.Json) ?? [];

    internal static ArchiveSupplement Create(
        ProjectArchive archive, int sequence, Deposits.DepositSettled settled, DateTimeOffset at, Document package, string manifestSm3, int entries,
        string? previousManifestSm3, IReadOnlyList<SupplementLedgerLine> ledger) =>
        new()
        {
            Id = Guid.NewGuid(),
            ProjectId = archive.ProjectId,
            CentreId = archive.CentreId,
            Sequence = sequence,
            Reason = settled.Kind,
            SubjectId = settled.SubjectId,
            SectionId = settled.SectionId,
            SectionCode = settled.SectionCode,
            EntityId = settled.EntityId,
            Principal = settled.Principal,
            Interest = settled.Interest,
            BankReference = settled.BankReference,
            MadeAt = at,
            MadeBy = settled.Actor,
            PackageDocumentId = package.Id,
            PackageSm3 = package.Sm3,
            ManifestSm3 = manifestSm3,
            Entries = entries,
            OriginalManifestSm3 = archive.ManifestSm3,
            PreviousManifestSm3 = previousManifestSm3,
            LedgerJson = JsonSerializer.Serialize(ledger, ArchiveManifest.Json),
        };
}

internal sealed class ArchiveSupplementConfiguration : IEntityTypeConfiguration<ArchiveSupplement>
{
    public void Configure(EntityTypeBuilder<ArchiveSupplement> builder)
    {
        builder.ToTable("tr_archive_supplements");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(s => s.ProjectId).HasColumnName("project_id");
        builder.Property(s => s.CentreId).HasColumnName("centre_id");
        builder.Property(s => s.Sequence).HasColumnName("sequence");
        builder.Property(s => s.Reason).HasColumnName("reason");
        builder.Property(s => s.SubjectId).HasColumnName("subject_id");
        builder.Property(s => s.SectionId).HasColumnName("section_id");
        builder.Property(s => s.SectionCode).HasColumnName("section_code");
        builder.Property(s => s.EntityId).HasColumnName("entity_id");
        builder.Property(s => s.Principal).HasColumnName("principal").HasPrecision(18, 2);
        builder.Property(s => s.Interest).HasColumnName("interest").HasPrecision(18, 2);
        builder.Property(s => s.BankReference).HasColumnName("bank_reference");
        builder.Property(s => s.MadeAt).HasColumnName("made_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(s => s.MadeBy).HasColumnName("made_by");
        builder.Property(s => s.PackageDocumentId).HasColumnName("package_document_id");
        builder.Property(s => s.PackageSm3).HasColumnName("package_sm3");
        builder.Property(s => s.ManifestSm3).HasColumnName("manifest_sm3");
        builder.Property(s => s.Entries).HasColumnName("entries");
        builder.Property(s => s.OriginalManifestSm3).HasColumnName("original_manifest_sm3");
        builder.Property(s => s.PreviousManifestSm3).HasColumnName("previous_manifest_sm3");
        builder.Property(s => s.LedgerJson).HasColumnName("ledger_json");
        builder.Ignore(s => s.Ledger);
    }
}
