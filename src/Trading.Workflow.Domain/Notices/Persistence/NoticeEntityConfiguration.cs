using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Trading.Workflow.Domain.Notices.Persistence;

/// <summary>
/// <c>tr_notices</c> (scripts in <c>Notices/Schema</c>): one row per notice, its attachments and sections as JSON
/// arrays, times as UTC ticks on both providers so they sort natively on SQLite.
/// </summary>
public sealed class NoticeEntityConfiguration : IEntityTypeConfiguration<Notice>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<Notice> builder)
    {
        builder.ToTable("tr_notices");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(n => n.ProjectId).HasColumnName("project_id");
        builder.Property(n => n.ProjectCode).HasColumnName("project_code").HasMaxLength(NoticeProject.MaxCodeLength);
        builder.Property(n => n.ProjectName).HasColumnName("project_name");
        builder.Property(n => n.CentreId).HasColumnName("centre_id");
        builder.Property(n => n.TradeType).HasColumnName("trade_type");
        builder.Property(n => n.RegionCode).HasColumnName("region_code");
        builder.Property(n => n.SectionIds).HasColumnName("section_ids").HasConversion(JsonList<Guid>(), ListComparer<Guid>());
        builder.Property(n => n.Kind).HasColumnName("kind").HasConversion<string>();
        builder.Property(n => n.Title).HasColumnName("title").HasMaxLength(Notice.MaxTitleLength);
        builder.Property(n => n.BodyHtml).HasColumnName("body_html");
        builder.Property(n => n.Attachments).HasColumnName("attachments").HasConversion(JsonList<NoticeAttachment>(), ListComparer<NoticeAttachment>());
        builder.Property(n => n.State).HasColumnName("state").HasConversion<string>();
        builder.Property(n => n.CorrectsNoticeId).HasColumnName("corrects_notice_id");
        builder.Property(n => n.DraftedBy).HasColumnName("drafted_by");
        builder.Property(n => n.DraftedAt).HasColumnName("drafted_at").HasConversion(Ticks);
        builder.Property(n => n.SubmittedBy).HasColumnName("submitted_by");
        builder.Property(n => n.SubmittedAt).HasColumnName("submitted_at").HasConversion(NullableTicks);
        builder.Property(n => n.ReviewedBy).HasColumnName("reviewed_by");
        builder.Property(n => n.ReturnReason).HasColumnName("return_reason");
        builder.Property(n => n.PublishedAt).HasColumnName("published_at").HasConversion(NullableTicks);
        builder.Property(n => n.Version).HasColumnName("version").IsConcurrencyToken();
    }

    internal static readonly ValueConverter<DateTimeOffset, long> Ticks = new(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    internal static readonly ValueConverter<DateTimeOffset?, long?> NullableTicks = new(
        v => v.HasValue ? v.Value.UtcTicks : null, v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);

    private static ValueConverter<IReadOnlyList<T>, string> JsonList<T>() => new(
        v => JsonSerializer.Serialize(v, Json),
        v => JsonSerializer.Deserialize<List<T>>(v, Json) ?? new List<T>(),
        new ConverterMappingHints(unicode: true));

    internal static ValueComparer<IReadOnlyList<T>> ListComparer<T>() => new(
        (a, b) => a != null && b != null && a.SequenceEqual(b),
        v => v.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
        v => v.ToList());
}
