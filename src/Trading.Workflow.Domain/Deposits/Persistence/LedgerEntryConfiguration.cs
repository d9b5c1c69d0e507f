using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Deposits.Persistence;

public sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("tr_deposit_ledger");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.SectionId).HasColumnName("section_id");
        builder.Property(e => e.Sequence).HasColumnName("sequence");
        // One line per number per section: of two concurrent changes to a section, the second fails and is retried.
        builder.HasIndex(e => new { e.SectionId, e.Sequence }).IsUnique();
        builder.Property(e => e.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(24);
        builder.Property(e => e.EntityId).HasColumnName("entity_id");
        builder.Property(e => e.Amount).HasColumnName("amount").HasPrecision(18, 2);
        builder.Property(e => e.Interest).HasColumnName("interest").HasPrecision(18, 2);
        builder.Property(e => e.Reference).HasColumnName("reference").HasMaxLength(200);
        builder.Property(e => e.At).HasColumnName("at");
        builder.Property(e => e.By).HasColumnName("by").HasMaxLength(256);
        builder.Property(e => e.PayerAccount).HasColumnName("payer_account").HasMaxLength(64);
        builder.Property(e => e.PayerIsNotBasicAccount).HasColumnName("payer_not_basic");
        builder.HasOne<DepositSection>().WithMany().HasForeignKey(e => e.SectionId);
    }
}
