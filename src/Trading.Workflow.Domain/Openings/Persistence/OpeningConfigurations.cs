using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Openings.Persistence;

/// <summary>Times as UTC ticks on both providers (they sort and compare natively on SQLite); enums as their names.</summary>
internal static class OpeningColumns
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly ValueConverter<BidLetter?, string?> Letter = new(
        v => v == null ? null : JsonSerializer.Serialize(v, Json),
        v => v == null ? null : JsonSerializer.Deserialize<BidLetter>(v, Json));
}

/// <summary><c>tr_opening_sessions</c>: one per section, unique.</summary>
public sealed class OpeningSessionConfiguration : IEntityTypeConfiguration<OpeningSession>
{
    public void Configure(EntityTypeBuilder<OpeningSession> builder)
    {
        builder.ToTable("tr_opening_sessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(s => s.SectionId).HasColumnName("section_id");
        builder.HasIndex(s => s.SectionId).IsUnique();
        builder.Property(s => s.ProjectId).HasColumnName("project_id");
        builder.Property(s => s.CentreId).HasColumnName("centre_id");
        builder.Property(s => s.ProjectCode).HasColumnName("project_code");
        builder.Property(s => s.ProjectName).HasColumnName("project_name");
        builder.Property(s => s.SectionCode).HasColumnName("section_code");
        builder.Property(s => s.SectionSubject).HasColumnName("section_subject");
        builder.Property(s => s.TradeType).HasColumnName("trade_type");
        builder.Property(s => s.RegionCode).HasColumnName("region_code");
        builder.Property(s => s.Deadline).HasColumnName("deadline").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(s => s.StartedAt).HasColumnName("started_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(s => s.WindowEndsAt).HasColumnName("window_ends_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(s => s.BidCount).HasColumnName("bid_count");
        builder.Property(s => s.MinimumBids).HasColumnName("minimum_bids");
        builder.Property(s => s.State).HasColumnName("state").HasConversion<string>();
        builder.Property(s => s.ClosedAt).HasColumnName("closed_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(s => s.ClosedBy).HasColumnName("closed_by");
        builder.Property(s => s.ClosedEarly).HasColumnName("closed_early");
        builder.Property(s => s.InstanceId).HasColumnName("instance_id");
        builder.Property(s => s.Version).HasColumnName("version").IsConcurrencyToken();
    }
}

/// <summary><c>tr_opening_bids</c>: one per sealed bid in a session; the letter as JSON once decrypted.</summary>
public sealed class OpeningBidConfiguration : IEntityTypeConfiguration<OpeningBid>
{
    public void Configure(EntityTypeBuilder<OpeningBid> builder)
    {
        builder.ToTable("tr_opening_bids");
        builder.HasKey(b => b.BidId);
        builder.Property(b => b.BidId).HasColumnName("bid_id").ValueGeneratedNever();
        builder.Property(b => b.SessionId).HasColumnName("session_id");
        builder.HasOne<OpeningSession>().WithMany().HasForeignKey(b => b.SessionId);
        builder.HasIndex(b => new { b.SessionId, b.EntityId }).IsUnique();
        builder.Property(b => b.ParticipationId).HasColumnName("participation_id");
        builder.Property(b => b.EntityId).HasColumnName("entity_id");
        builder.Property(b => b.EntityName).HasColumnName("entity_name");
        builder.Property(b => b.BidVersion).HasColumnName("bid_version");
        builder.Property(b => b.ArrivedAt).HasColumnName("arrived_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(b => b.State).HasColumnName("state").HasConversion<string>();
        builder.Property(b => b.Attempts).HasColumnName("attempts");
        builder.Property(b => b.LastCause).HasColumnName("last_cause").HasConversion<string>();
        builder.Property(b => b.Fault).HasColumnName("fault").HasConversion<string>();
        builder.Property(b => b.Consequence).HasColumnName("consequence").HasConversion<string>();
        builder.Property(b => b.SettledAt).HasColumnName("settled_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(b => b.SettledBy).HasColumnName("settled_by");
        builder.Property(b => b.Letter).HasColumnName("letter").HasConversion(OpeningColumns.Letter);
        builder.Property(b => b.Version).HasColumnName("version").IsConcurrencyToken();
    }
}

/// <summary><c>tr_opened_bid_items</c>.</summary>
public sealed class OpenedBidItemConfiguration : IEntityTypeConfiguration<OpenedBidItem>
{
    public void Configure(EntityTypeBuilder<OpenedBidItem> builder)
    {
        builder.ToTable("tr_opened_bid_items");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(i => i.BidId).HasColumnName("bid_id");
        builder.HasOne<OpeningBid>().WithMany().HasForeignKey(i => i.BidId);
        builder.Property(i => i.SessionId).HasColumnName("session_id");
        builder.Property(i => i.Position).HasColumnName("position");
        builder.Property(i => i.Name).HasColumnName("name");
        builder.Property(i => i.Kind).HasColumnName("kind");
        builder.Property(i => i.PlaintextSm3).HasColumnName("plaintext_sm3");
        builder.Property(i => i.Length).HasColumnName("length");
        builder.Property(i => i.OpenedAt).HasColumnName("opened_at").HasConversion(UtcTicksConverters.Ticks);
    }
}

/// <summary><c>tr_opening_records</c>: one per closed session.</summary>
public sealed class OpeningRecordConfiguration : IEntityTypeConfiguration<OpeningRecord>
{
    public void Configure(EntityTypeBuilder<OpeningRecord> builder)
    {
        builder.ToTable("tr_opening_records");
        builder.HasKey(r => r.SessionId);
        builder.Property(r => r.SessionId).HasColumnName("session_id").ValueGeneratedNever();
        builder.HasOne<OpeningSession>().WithOne().HasForeignKey<OpeningRecord>(r => r.SessionId);
        builder.Property(r => r.ContentJson).HasColumnName("content_json");
        builder.Property(r => r.Sm3).HasColumnName("sm3");
        builder.Property(r => r.Signature).HasColumnName("signature");
        builder.Property(r => r.PublicKeyHex).HasColumnName("public_key");
        builder.Property(r => r.KeyFingerprint).HasColumnName("key_fingerprint");
        builder.Property(r => r.SignedAt).HasColumnName("signed_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(r => r.NoticeId).HasColumnName("notice_id");
        builder.Ignore(r => r.Content);
    }
}

/// <summary><c>tr_opening_objections</c>.</summary>
public sealed class OpeningObjectionConfiguration : IEntityTypeConfiguration<OpeningObjection>
{
    public void Configure(EntityTypeBuilder<OpeningObjection> builder)
    {
        builder.ToTable("tr_opening_objections");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(o => o.SessionId).HasColumnName("session_id");
        builder.HasOne<OpeningSession>().WithMany().HasForeignKey(o => o.SessionId);
        builder.Property(o => o.EntityId).HasColumnName("entity_id");
        builder.Property(o => o.EntityName).HasColumnName("entity_name");
        builder.Property(o => o.RaisedBy).HasColumnName("raised_by");
        builder.Property(o => o.RaisedAt).HasColumnName("raised_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(o => o.Text).HasColumnName("text");
        builder.Property(o => o.Answer).HasColumnName("answer");
        builder.Property(o => o.AnsweredBy).HasColumnName("answered_by");
        builder.Property(o => o.AnsweredAt).HasColumnName("answered_at").HasConversion(UtcTicksConverters.NullableTicks);
    }
}

/// <summary><c>tr_platform_keys</c>: one per purpose.</summary>
public sealed class PlatformKeyConfiguration : IEntityTypeConfiguration<PlatformKey>
{
    public void Configure(EntityTypeBuilder<PlatformKey> builder)
    {
        builder.ToTable("tr_platform_keys");
        builder.HasKey(k => k.Purpose);
        builder.Property(k => k.Purpose).HasColumnName("purpose").ValueGeneratedNever();
        builder.Property(k => k.PrivateKeyHex).HasColumnName("private_key");
        builder.Property(k => k.PublicKeyHex).HasColumnName("public_key");
        builder.Property(k => k.Fingerprint).HasColumnName("fingerprint");
        builder.Property(k => k.CreatedAt).HasColumnName("created_at").HasConversion(UtcTicksConverters.Ticks);
    }
}
