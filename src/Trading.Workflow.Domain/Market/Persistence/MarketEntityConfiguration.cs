using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Market.Persistence;

/// <summary>
/// tr_market_entities (one row per entity: identity, verification state, the verified and the waiting profile as
/// JSON), tr_market_members (users acting for it) and tr_market_history (profiles that were in force before).
/// </summary>
internal sealed class MarketEntityConfiguration : IEntityTypeConfiguration<MarketEntity>
{
    public void Configure(EntityTypeBuilder<MarketEntity> builder)
    {
        builder.ToTable("tr_market_entities");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.Kind).HasColumnName("kind");
        builder.Property(e => e.Identifier).HasColumnName("identifier").HasMaxLength(18).IsRequired();
        builder.HasIndex(e => e.Identifier).IsUnique().HasDatabaseName("IX_tr_market_entities_identifier");
        builder.Property(e => e.Name).HasColumnName("name").HasMaxLength(EntityProfile.MaxNameLength).IsRequired();
        builder.HasIndex(e => e.Name).HasDatabaseName("IX_tr_market_entities_name");
        builder.Property(e => e.Verified).HasColumnName("verified_profile").HasConversion(ProfileJson.Converter!, ProfileJson.Comparer);
        builder.Property(e => e.VerifiedAt).HasColumnName("verified_at");
        builder.Property(e => e.VerifiedBy).HasColumnName("verified_by").HasMaxLength(64);
        builder.Property(e => e.Submitted).HasColumnName("submitted_profile").HasConversion(ProfileJson.Converter!, ProfileJson.Comparer);
        builder.Property(e => e.SubmissionState).HasColumnName("submission_state");
        builder.HasIndex(e => new { e.SubmissionState, e.SubmittedAt }).HasDatabaseName("IX_tr_market_entities_queue");
        builder.Property(e => e.SubmittedAt).HasColumnName("submitted_at");
        builder.Property(e => e.SubmittedBy).HasColumnName("submitted_by").HasMaxLength(64);
        builder.Property(e => e.ReturnReason).HasColumnName("return_reason").HasMaxLength(EntityProfile.MaxTextLength);
        builder.Property(e => e.RegisteredAt).HasColumnName("registered_at");
        builder.Property(e => e.Version).HasColumnName("version").IsConcurrencyToken();
        builder.Ignore(e => e.Status);
        builder.Ignore(e => e.DisplayName);
        builder.Ignore(e => e.Current);

        builder.OwnsMany(e => e.Members, member =>
        {
            member.ToTable("tr_market_members");
            member.WithOwner().HasForeignKey("EntityId");
            member.Property<Guid>("EntityId").HasColumnName("entity_id");
            member.HasKey("EntityId", nameof(EntityMember.UserId));
            member.Property(m => m.UserId).HasColumnName("user_id").HasMaxLength(64);
            member.Property(m => m.IsAdministrator).HasColumnName("is_administrator");
            member.Property(m => m.JoinedAt).HasColumnName("joined_at");
            member.Property(m => m.InvitedBy).HasColumnName("invited_by").HasMaxLength(64);
            member.HasIndex(m => m.UserId).HasDatabaseName("IX_tr_market_members_user_id");
        });
        builder.Navigation(e => e.Members).UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.OwnsMany(e => e.History, history =>
        {
            history.ToTable("tr_market_history");
            history.WithOwner().HasForeignKey("EntityId");
            history.Property<Guid>("EntityId").HasColumnName("entity_id");
            history.Property<Guid>("Id").HasColumnName("id").ValueGeneratedOnAdd();
            history.HasKey("Id");
            history.Property(h => h.Profile).HasColumnName("profile").HasConversion(ProfileJson.Converter, ProfileJson.Comparer!).IsRequired();
            history.Property(h => h.VerifiedAt).HasColumnName("verified_at");
            history.Property(h => h.VerifiedBy).HasColumnName("verified_by").HasMaxLength(64);
            history.Property(h => h.SupersededAt).HasColumnName("superseded_at");
            history.HasIndex("EntityId").HasDatabaseName("IX_tr_market_history_entity_id");
        });
        builder.Navigation(e => e.History).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
