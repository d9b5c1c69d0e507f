using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Trail;

internal sealed class AuditHeadConfiguration : IEntityTypeConfiguration<AuditHead>
{
    public void Configure(EntityTypeBuilder<AuditHead> builder)
    {
        builder.ToTable("tr_audit_head");
        builder.HasKey(h => h.Chain);
        builder.Property(h => h.Chain).HasColumnName("chain");
        builder.Property(h => h.Length).HasColumnName("length");
        builder.Property(h => h.Hash).HasColumnName("hash");
    }
}
