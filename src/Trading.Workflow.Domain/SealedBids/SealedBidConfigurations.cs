using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Trading.Workflow.Domain.Participations;

namespace Trading.Workflow.Domain.SealedBids;

internal sealed class SealedBidConfiguration : IEntityTypeConfiguration<SealedBid>
{
    public void Configure(EntityTypeBuilder<SealedBid> builder)
    {
        builder.ToTable("tr_sealed_bids");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(b => b.ParticipationId).HasColumnName("participation_id");
        builder.Property(b => b.ProjectId).HasColumnName("project_id");
        builder.Property(b => b.SectionId).HasColumnName("section_id");
        builder.Property(b => b.EntityId).HasColumnName("entity_id");
        builder.Property(b => b.Version).HasColumnName("version");
        builder.Property(b => b.BidderKeyId).HasColumnName("bidder_key_id");
        builder.Property(b => b.WrappedKeyHex).HasColumnName("wrapped_key");
        builder.Property(b => b.SignatureHex).HasColumnName("signature");
        builder.Property(b => b.ManifestSm3).HasColumnName("manifest_sm3");
        builder.Property(b => b.ArrivedAt).HasColumnName("arrived_at").HasConversion(Ticks.Converter);
        builder.Property(b => b.ReceiptDigest).HasColumnName("receipt_digest");
        builder.Property(b => b.SubmittedBy).HasColumnName("submitted_by");
        builder.Property(b => b.ClientAddress).HasColumnName("client_address");
        builder.Property(b => b.State).HasColumnName("state").HasConversion<string>();
        builder.Property(b => b.StateChangedAt).HasColumnName("state_changed_at").HasConversion(Ticks.NullableConverter);
        builder.Property(b => b.StateChangedBy).HasColumnName("state_changed_by");
        builder.Property(b => b.FailureCause).HasColumnName("failure_cause");
        builder.Property(b => b.FailureFault).HasColumnName("failure_fault");
        builder.Property(b => b.RefundDueAt).HasColumnName("refund_due_at").HasConversion(Ticks.NullableConverter);
        builder.HasMany(b => b.Items).WithOne().HasForeignKey(i => i.SealedBidId);
        builder.Navigation(b => b.Items).HasField("_items").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class SealedBidItemConfiguration : IEntityTypeConfiguration<SealedBidItem>
{
    public void Configure(EntityTypeBuilder<SealedBidItem> builder)
    {
        builder.ToTable("tr_sealed_bid_items");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(i => i.SealedBidId).HasColumnName("sealed_bid_id");
        builder.Property(i => i.Position).HasColumnName("position");
        builder.Property(i => i.Name).HasColumnName("name");
        builder.Property(i => i.Kind).HasColumnName("kind").HasConversion<string>();
        builder.Property(i => i.CiphertextDocumentId).HasColumnName("ciphertext_document_id");
        builder.Property(i => i.CiphertextSm3).HasColumnName("ciphertext_sm3");
        builder.Property(i => i.PlaintextSm3).HasColumnName("plaintext_sm3");
        builder.Property(i => i.PlaintextSize).HasColumnName("plaintext_size");
        builder.Property(i => i.CiphertextSize).HasColumnName("ciphertext_size");
    }
}

internal sealed class BidderKeyConfiguration : IEntityTypeConfiguration<BidderKey>
{
    public void Configure(EntityTypeBuilder<BidderKey> builder)
    {
        builder.ToTable("tr_bidder_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(k => k.EntityId).HasColumnName("entity_id");
        builder.Property(k => k.PublicKeyHex).HasColumnName("public_key");
        builder.Property(k => k.Fingerprint).HasColumnName("fingerprint");
        builder.Property(k => k.CreatedAt).HasColumnName("created_at").HasConversion(Ticks.Converter);
        builder.Property(k => k.CreatedBy).HasColumnName("created_by");
        builder.Property(k => k.RevokedAt).HasColumnName("revoked_at").HasConversion(Ticks.NullableConverter);
        builder.Property(k => k.DemoKeyFile).HasColumnName("demo_key_file");
        builder.Ignore(k => k.IsDemo);
        builder.Ignore(k => k.InForce);
    }
}

internal sealed class SealedBidWindowConfiguration : IEntityTypeConfiguration<SealedBidWindow>
{
    public void Configure(EntityTypeBuilder<SealedBidWindow> builder)
    {
        builder.ToTable("tr_sealed_bid_windows");
        builder.HasKey(w => w.SectionId);
        builder.Property(w => w.SectionId).HasColumnName("section_id").ValueGeneratedNever();
        builder.Property(w => w.ProjectId).HasColumnName("project_id");
        builder.Property(w => w.Deadline).HasColumnName("deadline").HasConversion(Ticks.Converter);
        builder.Property(w => w.SetAt).HasColumnName("set_at").HasConversion(Ticks.Converter);
        builder.Property(w => w.SetBy).HasColumnName("set_by");
    }
}
