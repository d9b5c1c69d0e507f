using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Trading.Workflow.Domain.Participations;

namespace Trading.Workflow.Domain.Experts.Persistence;

/// <summary>
/// Values replaced as a whole (a profile, the assessments, the draw rounds, the requested specialties) are one JSON
/// document per column, Chinese kept readable; two are the same when their JSON is.
/// </summary>
internal static class ExpertJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidOperationException($"A {typeof(T).Name} column holds null JSON.");

    public static ValueConverter<T, string> Converter<T>() => new(v => Serialize(v), s => Deserialize<T>(s));

    public static ValueComparer<T> Comparer<T>() => new(
        (a, b) => ReferenceEquals(a, b) || (a != null && b != null && Serialize(a) == Serialize(b)),
        v => v == null ? 0 : Serialize(v).GetHashCode(StringComparison.Ordinal),
        v => v);
}

internal sealed class ExpertConfiguration : IEntityTypeConfiguration<Expert>
{
    public void Configure(EntityTypeBuilder<Expert> builder)
    {
        builder.ToTable("tr_experts");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.UserName).HasColumnName("user_name");
        builder.HasIndex(e => e.UserName).IsUnique();
        builder.Property(e => e.DisplayName).HasColumnName("display_name");
        builder.Property(e => e.Profile).HasColumnName("profile").HasConversion(ExpertJson.Converter<ExpertProfile>(), ExpertJson.Comparer<ExpertProfile>());
        builder.Property(e => e.Status).HasColumnName("status").HasConversion<string>();
        builder.Property(e => e.StatusReason).HasColumnName("status_reason");
        builder.Property(e => e.StatusChangedAt).HasColumnName("status_changed_at").HasConversion(Ticks.NullableConverter);
        builder.Property(e => e.StatusChangedBy).HasColumnName("status_changed_by");
        builder.Property<List<ExpertAssessment>>("_assessments").HasColumnName("assessments")
            .HasConversion(ExpertJson.Converter<List<ExpertAssessment>>(), ExpertJson.Comparer<List<ExpertAssessment>>());
        builder.Ignore(e => e.Assessments);
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").HasConversion(Ticks.Converter);
        builder.Property(e => e.CreatedBy).HasColumnName("created_by");
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at").HasConversion(Ticks.Converter);
        builder.Property(e => e.UpdatedBy).HasColumnName("updated_by");
        builder.Property(e => e.Version).HasColumnName("version").IsConcurrencyToken();
    }
}

internal sealed class ExpertCommitteeConfiguration : IEntityTypeConfiguration<ExpertCommittee>
{
    public void Configure(EntityTypeBuilder<ExpertCommittee> builder)
    {
        builder.ToTable("tr_expert_committees");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(c => c.ProjectId).HasColumnName("project_id");
        builder.HasIndex(c => c.ProjectId).IsUnique();
        builder.Property(c => c.ProjectCode).HasColumnName("project_code");
        builder.Property(c => c.ProjectName).HasColumnName("project_name");
        builder.Property(c => c.CentreId).HasColumnName("centre_id");
        builder.Property(c => c.OwnerEntityId).HasColumnName("owner_entity_id");
        builder.Property(c => c.OwnerName).HasColumnName("owner_name");
        builder.Property(c => c.Specialties).HasColumnName("specialties")
            .HasConversion(ExpertJson.Converter<IReadOnlyList<SpecialtyCount>>(), ExpertJson.Comparer<IReadOnlyList<SpecialtyCount>>());
        builder.Property(c => c.Representatives).HasColumnName("representatives")
            .HasConversion(ExpertJson.Converter<IReadOnlyList<TendereeRepresentative>>(), ExpertJson.Comparer<IReadOnlyList<TendereeRepresentative>>());
        builder.Property(c => c.Rounds).HasColumnName("rounds")
            .HasConversion(ExpertJson.Converter<IReadOnlyList<DrawRound>>(), ExpertJson.Comparer<IReadOnlyList<DrawRound>>());
        builder.Property(c => c.EvaluationStartsAt).HasColumnName("evaluation_starts_at").HasConversion(Ticks.Converter);
        builder.Property(c => c.UnsealAt).HasColumnName("unseal_at").HasConversion(Ticks.Converter);
        builder.Property(c => c.RequestedAt).HasColumnName("requested_at").HasConversion(Ticks.Converter);
        builder.Property(c => c.RequestedBy).HasColumnName("requested_by");
        builder.Property(c => c.State).HasColumnName("state").HasConversion<string>();
        builder.Property(c => c.ConfirmedAt).HasColumnName("confirmed_at").HasConversion(Ticks.NullableConverter);
        builder.Property(c => c.ProcedureToldAt).HasColumnName("procedure_told_at").HasConversion(Ticks.NullableConverter);
        builder.Property(c => c.Version).HasColumnName("version").IsConcurrencyToken();
        builder.HasMany(c => c.Invitations).WithOne().HasForeignKey(i => i.CommitteeId);
        builder.Navigation(c => c.Invitations).HasField("_invitations").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(c => c.ExpertSeats);
        builder.Ignore(c => c.Size);
    }
}

internal sealed class CommitteeInvitationConfiguration : IEntityTypeConfiguration<CommitteeInvitation>
{
    public void Configure(EntityTypeBuilder<CommitteeInvitation> builder)
    {
        builder.ToTable("tr_expert_invitations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(i => i.CommitteeId).HasColumnName("committee_id");
        builder.Property(i => i.ExpertId).HasColumnName("expert_id");
        builder.Property(i => i.UserName).HasColumnName("user_name");
        builder.Property(i => i.DisplayName).HasColumnName("display_name");
        builder.Property(i => i.Specialty).HasColumnName("specialty");
        builder.Property(i => i.Round).HasColumnName("round");
        builder.Property(i => i.Order).HasColumnName("order_in_round");
        builder.Property(i => i.InvitedAt).HasColumnName("invited_at").HasConversion(Ticks.Converter);
        builder.Property(i => i.RespondBy).HasColumnName("respond_by").HasConversion(Ticks.Converter);
        builder.Property(i => i.State).HasColumnName("state").HasConversion<string>();
        builder.Property(i => i.AnsweredAt).HasColumnName("answered_at").HasConversion(Ticks.NullableConverter);
        builder.Property(i => i.Reason).HasColumnName("reason");
        builder.Ignore(i => i.HoldsSeat);
    }
}
