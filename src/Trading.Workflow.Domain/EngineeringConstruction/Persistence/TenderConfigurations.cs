using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.EngineeringConstruction.Persistence;

/// <summary><c>tr_ec_tenders</c>: one row per project; documents, invitations and qualified entities as JSON arrays.</summary>
public sealed class TenderConfiguration : IEntityTypeConfiguration<Tender>
{
    public void Configure(EntityTypeBuilder<Tender> builder)
    {
        builder.ToTable("tr_ec_tenders");
        builder.HasKey(t => t.ProjectId);
        builder.Property(t => t.ProjectId).HasColumnName("project_id").ValueGeneratedNever();
        builder.Property(t => t.ProjectCode).HasColumnName("project_code");
        builder.Property(t => t.ProjectName).HasColumnName("project_name");
        builder.Property(t => t.CentreId).HasColumnName("centre_id");
        builder.Property(t => t.OwnerEntityId).HasColumnName("owner_entity_id");
        builder.Property(t => t.AgencyEntityId).HasColumnName("agency_entity_id");
        builder.Property(t => t.Kind).HasColumnName("kind").HasConversion<string>();
        builder.Property(t => t.Stage).HasColumnName("stage").HasConversion<string>();
        builder.Property<List<Guid>>("_documentIds").HasColumnName("document_ids").HasConversion(TenderColumns.Json<Guid>(), TenderColumns.Comparer<Guid>());
        builder.Ignore(t => t.DocumentIds);
        builder.Property(t => t.BillOfQuantitiesId).HasColumnName("bill_of_quantities_id");
        builder.Property(t => t.SaleStartsAt).HasColumnName("sale_starts_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(t => t.SaleEndsAt).HasColumnName("sale_ends_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(t => t.BidDeadline).HasColumnName("bid_deadline").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(t => t.OriginalBidDeadline).HasColumnName("original_bid_deadline").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(t => t.OpeningAt).HasColumnName("opening_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Ignore(t => t.OpeningTime);
        builder.Ignore(t => t.AnnouncedOpening);
        builder.Property(t => t.DocumentsIssuedAt).HasColumnName("documents_issued_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(t => t.Prequalification).HasColumnName("prequalification");
        builder.Property(t => t.PrequalificationSaleStartsAt).HasColumnName("pq_sale_starts_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(t => t.PrequalificationSaleEndsAt).HasColumnName("pq_sale_ends_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(t => t.PrequalificationApplicationDeadline).HasColumnName("pq_application_deadline").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property<List<TenderInvitation>>("_invitations").HasColumnName("invitations").HasConversion(TenderColumns.Json<TenderInvitation>(), TenderColumns.Comparer<TenderInvitation>());
        builder.Ignore(t => t.Invitations);
        builder.Property<List<Guid>>("_qualified").HasColumnName("qualified").HasConversion(TenderColumns.Json<Guid>(), TenderColumns.Comparer<Guid>());
        builder.Ignore(t => t.Qualified);
        builder.Property(t => t.PrequalificationReviewed).HasColumnName("pq_reviewed");
        builder.Property(t => t.BidCount).HasColumnName("bid_count");
        builder.Property(t => t.RetenderRule).HasColumnName("retender_rule");
        builder.Property(t => t.RetenderReason).HasColumnName("retender_reason");
        builder.Property(t => t.ScheduledBy).HasColumnName("scheduled_by");
        builder.Property(t => t.UpdatedAt).HasColumnName("updated_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(t => t.Version).HasColumnName("version").IsConcurrencyToken();
        builder.Ignore(t => t.IsScheduled);
    }
}

public sealed class TenderClarificationConfiguration : IEntityTypeConfiguration<TenderClarification>
{
    public void Configure(EntityTypeBuilder<TenderClarification> builder)
    {
        builder.ToTable("tr_ec_clarifications");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(c => c.ProjectId).HasColumnName("project_id");
        builder.Property(c => c.Number).HasColumnName("number");
        builder.Property(c => c.Title).HasColumnName("title");
        builder.Property(c => c.Body).HasColumnName("body");
        builder.Property(c => c.DocumentId).HasColumnName("document_id");
        builder.Property(c => c.PublishedAt).HasColumnName("published_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(c => c.PublishedBy).HasColumnName("published_by");
        builder.Property(c => c.DeadlineBefore).HasColumnName("deadline_before").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(c => c.DeadlineAfter).HasColumnName("deadline_after").HasConversion(UtcTicksConverters.Ticks);
        builder.Ignore(c => c.MovedDeadline);
    }
}

public sealed class TenderObjectionConfiguration : IEntityTypeConfiguration<TenderObjection>
{
    public void Configure(EntityTypeBuilder<TenderObjection> builder)
    {
        builder.ToTable("tr_ec_objections");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(o => o.ProjectId).HasColumnName("project_id");
        builder.Property(o => o.EntityId).HasColumnName("entity_id");
        builder.Property(o => o.EntityName).HasColumnName("entity_name");
        builder.Property(o => o.Text).HasColumnName("text");
        builder.Property(o => o.RaisedBy).HasColumnName("raised_by");
        builder.Property(o => o.RaisedAt).HasColumnName("raised_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(o => o.AnswerDueAt).HasColumnName("answer_due_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(o => o.Answer).HasColumnName("answer");
        builder.Property(o => o.AnsweredBy).HasColumnName("answered_by");
        builder.Property(o => o.AnsweredAt).HasColumnName("answered_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(o => o.RemindedAt).HasColumnName("reminded_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(o => o.EscalatedAt).HasColumnName("escalated_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Ignore(o => o.IsOpen);
    }
}

public sealed class TenderDownloadConfiguration : IEntityTypeConfiguration<TenderDownload>
{
    public void Configure(EntityTypeBuilder<TenderDownload> builder)
    {
        builder.ToTable("tr_ec_downloads");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(d => d.ProjectId).HasColumnName("project_id");
        builder.Property(d => d.EntityId).HasColumnName("entity_id");
        builder.Property(d => d.EntityName).HasColumnName("entity_name");
        builder.Property(d => d.DocumentId).HasColumnName("document_id");
        builder.Property(d => d.UserName).HasColumnName("user_name");
        builder.Property(d => d.At).HasColumnName("at").HasConversion(UtcTicksConverters.Ticks);
    }
}

internal static class TenderColumns
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static ValueConverter<List<T>, string> Json<T>() => new(
        v => JsonSerializer.Serialize(v, Options),
        v => JsonSerializer.Deserialize<List<T>>(v, Options) ?? new List<T>());

    public static ValueComparer<List<T>> Comparer<T>() => new(
        (a, b) => a != null && b != null && a.SequenceEqual(b),
        v => v.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
        v => v.ToList());
}

public sealed class TenderApplicationConfiguration : IEntityTypeConfiguration<TenderApplication>
{
    public void Configure(EntityTypeBuilder<TenderApplication> builder)
    {
        builder.ToTable("tr_ec_applications");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(a => a.ProjectId).HasColumnName("project_id");
        builder.Property(a => a.EntityId).HasColumnName("entity_id");
        builder.Property(a => a.EntityName).HasColumnName("entity_name");
        builder.Property(a => a.DocumentId).HasColumnName("document_id");
        builder.Property(a => a.SubmittedBy).HasColumnName("submitted_by");
        builder.Property(a => a.SubmittedAt).HasColumnName("submitted_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(a => a.Decision).HasColumnName("decision").HasConversion<string>();
        builder.Property(a => a.Reason).HasColumnName("reason").HasMaxLength(TenderApplication.MaxReasonLength);
        builder.Property(a => a.ReviewedBy).HasColumnName("reviewed_by");
        builder.Property(a => a.ReviewedAt).HasColumnName("reviewed_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Ignore(a => a.IsReviewed);
        builder.HasIndex(a => new { a.ProjectId, a.EntityId }).IsUnique();
    }
}
