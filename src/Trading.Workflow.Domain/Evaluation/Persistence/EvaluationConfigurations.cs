using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Evaluation.Persistence;

/// <summary>Times as UTC ticks on both providers; enums as names; values as JSON compared by their JSON.</summary>
internal static class EvaluationColumns
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static PropertyBuilder<T> AsJson<T>(this PropertyBuilder<T> property, string column)
        where T : class
    {
        property.HasColumnName(column).HasConversion(
            new ValueConverter<T, string>(v => JsonSerializer.Serialize(v, Json), v => JsonSerializer.Deserialize<T>(v, Json)!),
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
                v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Json), Json)!));
        return property;
    }
}

/// <summary><c>tr_evaluation_plans</c>: one per project.</summary>
public sealed class EvaluationPlanConfiguration : IEntityTypeConfiguration<EvaluationPlan>
{
    public void Configure(EntityTypeBuilder<EvaluationPlan> builder)
    {
        builder.ToTable("tr_evaluation_plans");
        builder.HasKey(p => p.ProjectId);
        builder.Property(p => p.ProjectId).HasColumnName("project_id").ValueGeneratedNever();
        builder.Property(p => p.Method).AsJson("method");
        builder.Property(p => p.SetBy).HasColumnName("set_by");
        builder.Property(p => p.SetAt).HasColumnName("set_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(p => p.LockedAt).HasColumnName("locked_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(p => p.Version).HasColumnName("version").IsConcurrencyToken();
    }
}

/// <summary><c>tr_evaluations</c>: one per project.</summary>
public sealed class EvaluationConfiguration : IEntityTypeConfiguration<Evaluation>
{
    public void Configure(EntityTypeBuilder<Evaluation> builder)
    {
        builder.ToTable("tr_evaluations");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.ProjectId).HasColumnName("project_id");
        builder.HasIndex(e => e.ProjectId).IsUnique();
        builder.Property(e => e.ProjectCode).HasColumnName("project_code");
        builder.Property(e => e.ProjectName).HasColumnName("project_name");
        builder.Property(e => e.CentreId).HasColumnName("centre_id");
        builder.Property(e => e.CommitteeId).HasColumnName("committee_id");
        builder.Property(e => e.InstanceId).HasColumnName("instance_id");
        builder.Property(e => e.Method).AsJson("method");
        builder.Property(e => e.Sections).AsJson("sections");
        builder.Property(e => e.State).HasColumnName("state").HasConversion<string>();
        builder.Property(e => e.StartedAt).HasColumnName("started_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(e => e.DueAt).HasColumnName("due_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(e => e.Extensions).HasColumnName("extensions");
        builder.Property(e => e.Outcomes).AsJson("outcomes");
        builder.Property(e => e.AggregatedAt).HasColumnName("aggregated_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(e => e.ChairUserName).HasColumnName("chair_user_name");
        builder.Property(e => e.Summary).HasColumnName("summary");
        builder.Property(e => e.ReportWrittenAt).HasColumnName("report_written_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(e => e.ConfirmedAt).HasColumnName("confirmed_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(e => e.Version).HasColumnName("version").IsConcurrencyToken();
    }
}

/// <summary><c>tr_evaluation_members</c>.</summary>
public sealed class EvaluationMemberConfiguration : IEntityTypeConfiguration<EvaluationMember>
{
    public void Configure(EntityTypeBuilder<EvaluationMember> builder)
    {
        builder.ToTable("tr_evaluation_members");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(m => m.EvaluationId).HasColumnName("evaluation_id");
        builder.HasOne<Evaluation>().WithMany().HasForeignKey(m => m.EvaluationId);
        builder.HasIndex(m => m.EvaluationId);
        builder.Property(m => m.ExpertId).HasColumnName("expert_id");
        builder.Property(m => m.UserName).HasColumnName("user_name");
        builder.Property(m => m.DisplayName).HasColumnName("display_name");
        builder.Property(m => m.IsTendereeRepresentative).HasColumnName("tenderee_representative");
        builder.Property(m => m.Position).HasColumnName("position");
        builder.Property(m => m.State).HasColumnName("state").HasConversion<string>();
        builder.Property(m => m.JoinedAt).HasColumnName("joined_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(m => m.ReplacedAt).HasColumnName("replaced_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(m => m.ReplacementReason).HasColumnName("replacement_reason");
        builder.Property(m => m.AskedForTimeAt).HasColumnName("asked_for_time_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(m => m.Confirmation).HasColumnName("confirmation").HasConversion<string>();
        builder.Property(m => m.Dissent).HasColumnName("dissent");
        builder.Property(m => m.ConfirmedAt).HasColumnName("confirmed_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(m => m.Version).HasColumnName("version").IsConcurrencyToken();
        builder.Ignore(m => m.IsActive);
        builder.Ignore(m => m.HasAnswered);
    }
}

/// <summary><c>tr_evaluation_sheets</c>: one per member.</summary>
public sealed class EvaluationSheetConfiguration : IEntityTypeConfiguration<EvaluationSheet>
{
    public void Configure(EntityTypeBuilder<EvaluationSheet> builder)
    {
        builder.ToTable("tr_evaluation_sheets");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(s => s.EvaluationId).HasColumnName("evaluation_id");
        builder.HasOne<Evaluation>().WithMany().HasForeignKey(s => s.EvaluationId);
        builder.Property(s => s.MemberId).HasColumnName("member_id");
        builder.HasIndex(s => s.MemberId).IsUnique();
        builder.HasOne<EvaluationMember>().WithMany().HasForeignKey(s => s.MemberId);
        builder.Property(s => s.State).HasColumnName("state").HasConversion<string>();
        builder.Property(s => s.Reviews).AsJson("reviews");
        builder.Property(s => s.UpdatedAt).HasColumnName("updated_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(s => s.SubmittedAt).HasColumnName("submitted_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(s => s.Version).HasColumnName("version").IsConcurrencyToken();
    }
}
