using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Participations;

internal sealed class ParticipationConfiguration : IEntityTypeConfiguration<Participation>
{
    public void Configure(EntityTypeBuilder<Participation> builder)
    {
        builder.ToTable("tr_participations");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(p => p.SectionId).HasColumnName("section_id");
        builder.Property(p => p.ProjectId).HasColumnName("project_id");
        builder.Property(p => p.EntityId).HasColumnName("entity_id");
        builder.Property(p => p.EntityName).HasColumnName("entity_name");
        builder.Property(p => p.Origin).HasColumnName("origin").HasConversion<string>();
        builder.Property(p => p.State).HasColumnName("state").HasConversion<string>();
        builder.Property(p => p.CreatedAt).HasColumnName("created_at").HasConversion(Ticks.Converter);
        builder.Property(p => p.CreatedBy).HasColumnName("created_by");
        builder.Property(p => p.EndedAt).HasColumnName("ended_at").HasConversion(Ticks.NullableConverter);
        builder.Property(p => p.EndedBy).HasColumnName("ended_by");
        builder.Property(p => p.EndReason).HasColumnName("end_reason");
        builder.Ignore(p => p.IsActive);
    }
}

/// <summary>Times as UTC ticks (bigint on both databases), so they sort and compare in SQL on SQLite too.</summary>
internal static class Ticks
{
    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long> Converter =
        new(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset?, long?> NullableConverter =
        new(v => v.HasValue ? v.Value.UtcTicks : null, v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);
}
