using System.Text.Json;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Trading.Workflow.Domain.Grants.Persistence;

internal static class GrantColumns
{
    public static readonly ValueConverter<DateTimeOffset, long> Ticks = new(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    public static readonly ValueConverter<DateTimeOffset?, long?> NullableTicks =
        new(v => v.HasValue ? v.Value.UtcTicks : null, v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly ValueConverter<GrantParcel, string> Parcel =
        new(v => JsonSerializer.Serialize(v, Json), v => JsonSerializer.Deserialize<GrantParcel>(v, Json)!);

    /// <summary>The allowed multiples as "1,2,5" (empty: any whole multiple).</summary>
    public static readonly ValueConverter<IReadOnlyList<int>, string> Multiples =
        new(v => string.Join(',', v.Select(m => m.ToString(CultureInfo.InvariantCulture))),
            v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(m => int.Parse(m, CultureInfo.InvariantCulture)).ToList());

    public static readonly ValueComparer<IReadOnlyList<int>> MultiplesComparer =
        new((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, m) => HashCode.Combine(h, m)), v => v.ToList());
}

/// <summary><c>tr_grant_offerings</c>: one row per offering (project of one section); the parcel as JSON.</summary>
public sealed class GrantOfferingConfiguration : IEntityTypeConfiguration<GrantOffering>
{
    public void Configure(EntityTypeBuilder<GrantOffering> builder)
    {
        builder.ToTable("tr_grant_offerings");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(o => o.ProjectId).HasColumnName("project_id");
        builder.Property(o => o.SectionId).HasColumnName("section_id");
        builder.Property(o => o.ProjectCode).HasColumnName("project_code");
        builder.Property(o => o.CentreId).HasColumnName("centre_id");
        builder.Property(o => o.TradeType).HasColumnName("trade_type");
        builder.Property(o => o.RegionCode).HasColumnName("region_code");
        builder.Property(o => o.Title).HasColumnName("title");
        builder.Property(o => o.OwnerEntityId).HasColumnName("owner_entity_id");
        builder.Property(o => o.OwnerName).HasColumnName("owner_name");
        builder.Property(o => o.Mode).HasColumnName("mode").HasConversion<string>();
        builder.Property(o => o.Parcel).HasColumnName("parcel").HasConversion(GrantColumns.Parcel);
        builder.Property(o => o.StartPrice).HasColumnName("start_price").HasPrecision(18, 2);
        builder.Property(o => o.Increment).HasColumnName("increment").HasPrecision(18, 2);
        builder.Property(o => o.Deposit).HasColumnName("deposit").HasPrecision(18, 2);
        builder.Property(o => o.PriceCap).HasColumnName("price_cap").HasPrecision(18, 2);
        builder.Property(o => o.AllowedMultiples).HasColumnName("allowed_multiples").HasConversion(GrantColumns.Multiples, GrantColumns.MultiplesComparer);
        builder.Property(o => o.ApplicationDeadline).HasColumnName("application_deadline").HasConversion(GrantColumns.Ticks);
        builder.Property(o => o.BiddingOpens).HasColumnName("bidding_opens").HasConversion(GrantColumns.Ticks);
        builder.Property(o => o.BiddingEnds).HasColumnName("bidding_ends").HasConversion(GrantColumns.Ticks);
        builder.Property(o => o.Stage).HasColumnName("stage").HasConversion<string>();
        builder.Property(o => o.DemoSchedule).HasColumnName("demo_schedule");
        builder.Property(o => o.HasReserve).HasColumnName("has_reserve");
        builder.Property(o => o.LotId).HasColumnName("lot_id");
        builder.Property(o => o.SubmittedAt).HasColumnName("submitted_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(o => o.NoticeId).HasColumnName("notice_id");
        builder.Property(o => o.NoticePublishedAt).HasColumnName("notice_published_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(o => o.ClosedAt).HasColumnName("closed_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(o => o.NoSaleReason).HasColumnName("no_sale_reason");
        builder.Property(o => o.NoSaleNoticeId).HasColumnName("no_sale_notice_id");
        builder.Property(o => o.WinnerEntityId).HasColumnName("winner_entity_id");
        builder.Property(o => o.WinnerName).HasColumnName("winner_name");
        builder.Property(o => o.WinnerNumber).HasColumnName("winner_number");
        builder.Property(o => o.Price).HasColumnName("price").HasPrecision(18, 2);
        builder.Property(o => o.ConfirmationId).HasColumnName("confirmation_id");
        builder.Property(o => o.ConfirmationDocumentId).HasColumnName("confirmation_document_id");
        builder.Property(o => o.GrantorSignedAt).HasColumnName("grantor_signed_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(o => o.GrantorSignedBy).HasColumnName("grantor_signed_by");
        builder.Property(o => o.WinnerSignedAt).HasColumnName("winner_signed_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(o => o.WinnerSignedBy).HasColumnName("winner_signed_by");
        builder.Property(o => o.DepositConvertedAt).HasColumnName("deposit_converted_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(o => o.ResultDueAt).HasColumnName("result_due_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(o => o.ResultNoticeId).HasColumnName("result_notice_id");
        builder.Property(o => o.ResultPublishedAt).HasColumnName("result_published_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(o => o.ResultOverdueAt).HasColumnName("result_overdue_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(o => o.ReturnReason).HasColumnName("return_reason").HasMaxLength(GrantOffering.MaxReasonLength);
        builder.Property(o => o.ReturnedAt).HasColumnName("returned_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(o => o.ReturnedBy).HasColumnName("returned_by");
        builder.Property(o => o.WithdrawnAt).HasColumnName("withdrawn_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(o => o.WithdrawnBy).HasColumnName("withdrawn_by");
        builder.Property(o => o.WithdrawReason).HasColumnName("withdraw_reason").HasMaxLength(GrantOffering.MaxReasonLength);
        builder.Property(o => o.TerminationReason).HasColumnName("termination_reason").HasMaxLength(GrantOffering.MaxReasonLength);
        builder.Property(o => o.TerminatedAt).HasColumnName("terminated_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(o => o.TerminatedBy).HasColumnName("terminated_by");
        builder.Property(o => o.TerminationNoticeId).HasColumnName("termination_notice_id");
        builder.Property(o => o.CreatedAt).HasColumnName("created_at").HasConversion(GrantColumns.Ticks);
        builder.Property(o => o.CreatedBy).HasColumnName("created_by");
        builder.Property(o => o.Version).HasColumnName("version").IsConcurrencyToken();
        builder.Ignore(o => o.IsSigned);
        builder.Ignore(o => o.Input);
        builder.HasIndex(o => o.ProjectId).IsUnique();
    }
}

/// <summary><c>tr_grant_applications</c>: one per (offering, entity).</summary>
public sealed class GrantApplicationConfiguration : IEntityTypeConfiguration<GrantApplication>
{
    public void Configure(EntityTypeBuilder<GrantApplication> builder)
    {
        builder.ToTable("tr_grant_applications");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(a => a.OfferingId).HasColumnName("offering_id");
        builder.Property(a => a.ProjectId).HasColumnName("project_id");
        builder.Property(a => a.SectionId).HasColumnName("section_id");
        builder.Property(a => a.EntityId).HasColumnName("entity_id");
        builder.Property(a => a.EntityName).HasColumnName("entity_name");
        builder.Property(a => a.AppliedAt).HasColumnName("applied_at").HasConversion(GrantColumns.Ticks);
        builder.Property(a => a.AppliedBy).HasColumnName("applied_by");
        builder.Property(a => a.State).HasColumnName("state").HasConversion<string>();
        builder.Property(a => a.DecidedAt).HasColumnName("decided_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(a => a.DecidedBy).HasColumnName("decided_by");
        builder.Property(a => a.Reason).HasColumnName("reason").HasMaxLength(GrantApplication.MaxReasonLength);
        builder.Property(a => a.BidderNumber).HasColumnName("bidder_number");
        builder.HasIndex(a => new { a.OfferingId, a.EntityId }).IsUnique();
    }
}

/// <summary><c>tr_grant_termination_requests</c>: one per offering, written before its lot is called off.</summary>
public sealed class GrantTerminationRequestConfiguration : IEntityTypeConfiguration<GrantTerminationRequest>
{
    public void Configure(EntityTypeBuilder<GrantTerminationRequest> builder)
    {
        builder.ToTable("tr_grant_termination_requests");
        builder.HasKey(r => r.OfferingId);
        builder.Property(r => r.OfferingId).HasColumnName("offering_id").ValueGeneratedNever();
        builder.Property(r => r.ProjectCode).HasColumnName("project_code");
        builder.Property(r => r.RequestedBy).HasColumnName("requested_by");
        builder.Property(r => r.RequestedAs).HasColumnName("requested_as");
        builder.Property(r => r.Reason).HasColumnName("reason").HasMaxLength(GrantOffering.MaxReasonLength);
        builder.Property(r => r.LetterDocumentId).HasColumnName("letter_document_id");
        builder.Property(r => r.RequestedAt).HasColumnName("requested_at").HasConversion(GrantColumns.Ticks);
        builder.Property(r => r.CompletedAt).HasColumnName("completed_at").HasConversion(GrantColumns.NullableTicks);
        builder.Property(r => r.Outcome).HasColumnName("outcome");
        builder.Property(r => r.FailedAttempts).HasColumnName("failed_attempts");
        builder.Property(r => r.LastError).HasColumnName("last_error").HasMaxLength(GrantTerminationRequest.MaxErrorLength);
        builder.Property(r => r.LastAttemptAt).HasColumnName("last_attempt_at").HasConversion(GrantColumns.NullableTicks);
        builder.Ignore(r => r.IsOpen);
        builder.Ignore(r => r.IsStalled);
        builder.Ignore(r => r.StallCause);
        builder.HasIndex(r => r.CompletedAt);
    }
}
