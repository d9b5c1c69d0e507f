using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Deposits.Persistence;

public sealed class BankPaymentConfiguration : IEntityTypeConfiguration<BankPayment>
{
    public void Configure(EntityTypeBuilder<BankPayment> builder)
    {
        builder.ToTable("tr_deposit_payments");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(p => p.BankCode).HasColumnName("bank_code").HasMaxLength(64);
        builder.Property(p => p.BankTransactionId).HasColumnName("bank_transaction_id").HasMaxLength(64);
        builder.HasIndex(p => new { p.BankCode, p.BankTransactionId }).IsUnique();
        builder.Property(p => p.Amount).HasColumnName("amount").HasPrecision(18, 2);
        builder.Property(p => p.PayerName).HasColumnName("payer_name").HasMaxLength(200);
        builder.Property(p => p.PayerAccount).HasColumnName("payer_account").HasMaxLength(64);
        builder.Property(p => p.PayerBank).HasColumnName("payer_bank").HasMaxLength(200);
        builder.Property(p => p.Reference).HasColumnName("reference").HasMaxLength(64);
        builder.Property(p => p.ReceivedAt).HasColumnName("received_at");
        // UTC ticks on both databases: SQLite cannot order by a DateTimeOffset in SQL, and the lists page newest first.
        builder.Property(p => p.RecordedAt).HasColumnName("recorded_ticks")
            .HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        builder.Property(p => p.Match).HasColumnName("match").HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.SectionId).HasColumnName("section_id");
        builder.Property(p => p.EntityId).HasColumnName("entity_id");
        builder.Property(p => p.MatchedBy).HasColumnName("matched_by").HasMaxLength(256);
        builder.Property(p => p.MatchedAt).HasColumnName("matched_at");
        builder.Property(p => p.Flagged).HasColumnName("flagged");
        builder.HasIndex(p => p.SectionId);
        builder.HasIndex(p => p.Match);
        builder.HasIndex(p => p.Flagged);
        builder.Ignore(p => p.LedgerReference);
    }
}
