using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Deposits.Persistence;

public sealed class CallbackReceiptConfiguration : IEntityTypeConfiguration<CallbackReceipt>
{
    public void Configure(EntityTypeBuilder<CallbackReceipt> builder)
    {
        builder.ToTable("tr_deposit_callbacks");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(r => r.BankCode).HasColumnName("bank_code").HasMaxLength(64);
        builder.Property(r => r.Signature).HasColumnName("signature").HasMaxLength(64);
        // A replayed request carries a signature already here: refused by the lookup, and by this index under a race.
        builder.HasIndex(r => new { r.BankCode, r.Signature }).IsUnique();
        builder.Property(r => r.Timestamp).HasColumnName("timestamp");
        builder.Property(r => r.ReceivedAt).HasColumnName("received_at");
        builder.Property(r => r.Subject).HasColumnName("subject").HasMaxLength(100);
    }
}
