using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Market.Persistence;

/// <summary>tr_market_invitations: invitation links by the SHA-256 of their token.</summary>
internal sealed class MemberInvitationConfiguration : IEntityTypeConfiguration<MemberInvitation>
{
    public void Configure(EntityTypeBuilder<MemberInvitation> builder)
    {
        builder.ToTable("tr_market_invitations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(i => i.EntityId).HasColumnName("entity_id");
        builder.HasOne<MarketEntity>().WithMany().HasForeignKey(i => i.EntityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(i => i.EntityId).HasDatabaseName("IX_tr_market_invitations_entity_id");
        builder.Property(i => i.UserName).HasColumnName("user_name").HasMaxLength(64).IsRequired();
        builder.Property(i => i.DisplayName).HasColumnName("display_name").HasMaxLength(100).IsRequired();
        builder.Property(i => i.AsAdministrator).HasColumnName("as_administrator");
        builder.Property(i => i.TokenHash).HasColumnName("token_hash").HasMaxLength(64).IsRequired();
        builder.HasIndex(i => i.TokenHash).IsUnique().HasDatabaseName("IX_tr_market_invitations_token_hash");
        builder.Property(i => i.InvitedBy).HasColumnName("invited_by").HasMaxLength(64).IsRequired();
        builder.Property(i => i.CreatedAt).HasColumnName("created_at");
        builder.Property(i => i.ExpiresAt).HasColumnName("expires_at");
        builder.Property(i => i.AcceptedAt).HasColumnName("accepted_at");
        builder.Property(i => i.AcceptedUserId).HasColumnName("accepted_user_id").HasMaxLength(64);
        builder.Property(i => i.RevokedAt).HasColumnName("revoked_at");
    }
}
