using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.EngineeringConstruction.Persistence;

/// <summary><c>tr_ec_awards</c>: one row per project from the candidates' publicity to the contracts; candidates and bidders as JSON.</summary>
public sealed class TenderAwardConfiguration : IEntityTypeConfiguration<TenderAward>
{
    public void Configure(EntityTypeBuilder<TenderAward> builder)
    {
        builder.ToTable("tr_ec_awards");
        builder.HasKey(a => a.ProjectId);
        builder.Property(a => a.ProjectId).HasColumnName("project_id").ValueGeneratedNever();
        builder.Property(a => a.ProjectCode).HasColumnName("project_code");
        builder.Property(a => a.ProjectName).HasColumnName("project_name");
        builder.Property(a => a.CentreId).HasColumnName("centre_id");
        builder.Property(a => a.OwnerEntityId).HasColumnName("owner_entity_id");
        builder.Property(a => a.OwnerName).HasColumnName("owner_name");
        builder.Property(a => a.AgencyEntityId).HasColumnName("agency_entity_id");
        builder.Property(a => a.StateFunded).HasColumnName("state_funded");
        builder.Property(a => a.ReportId).HasColumnName("report_id");
        builder.Property(a => a.ReportConfirmedAt).HasColumnName("report_confirmed_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(a => a.ReportSummary).HasColumnName("report_summary");
        builder.Property<List<AwardCandidate>>("_candidates").HasColumnName("candidates").HasConversion(TenderColumns.Json<AwardCandidate>(), TenderColumns.Comparer<AwardCandidate>());
        builder.Ignore(a => a.Candidates);
        builder.Property<List<AwardBidder>>("_bidders").HasColumnName("bidders").HasConversion(TenderColumns.Json<AwardBidder>(), TenderColumns.Comparer<AwardBidder>());
        builder.Ignore(a => a.Bidders);
        builder.Ignore(a => a.SectionIds);
        builder.Property(a => a.Stage).HasColumnName("stage").HasConversion<string>();
        builder.Property(a => a.PublicityNoticeId).HasColumnName("publicity_notice_id");
        builder.Property(a => a.PublicityStartsAt).HasColumnName("publicity_starts_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(a => a.PublicityEndsAt).HasColumnName("publicity_ends_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(a => a.PublishedLate).HasColumnName("published_late");
        builder.Property(a => a.AwardedAt).HasColumnName("awarded_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(a => a.AwardedBy).HasColumnName("awarded_by");
        builder.Property(a => a.ResultNoticeId).HasColumnName("result_notice_id");
        builder.Property(a => a.ContractDueAt).HasColumnName("contract_due_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(a => a.WinnerReportDueAt).HasColumnName("winner_report_due_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(a => a.WinnerReportDocumentId).HasColumnName("winner_report_document_id");
        builder.Property(a => a.WinnerReportSubmittedAt).HasColumnName("winner_report_submitted_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(a => a.WinnerReportSubmittedBy).HasColumnName("winner_report_submitted_by");
        builder.Property(a => a.WinnerReportEscalatedAt).HasColumnName("winner_report_escalated_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(a => a.ContractsSignedAt).HasColumnName("contracts_signed_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(a => a.Suspended).HasColumnName("suspended");
        builder.Property(a => a.UpdatedAt).HasColumnName("updated_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(a => a.Version).HasColumnName("version").IsConcurrencyToken();
    }
}

public sealed class AwardSectionConfiguration : IEntityTypeConfiguration<AwardSection>
{
    public void Configure(EntityTypeBuilder<AwardSection> builder)
    {
        builder.ToTable("tr_ec_award_sections");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(s => s.ProjectId).HasColumnName("project_id");
        builder.Property(s => s.SectionId).HasColumnName("section_id");
        builder.Property(s => s.SectionCode).HasColumnName("section_code");
        builder.Property(s => s.WinnerEntityId).HasColumnName("winner_entity_id");
        builder.Property(s => s.WinnerName).HasColumnName("winner_name");
        builder.Property(s => s.WinnerRank).HasColumnName("winner_rank");
        builder.Property(s => s.ContractPrice).HasColumnName("contract_price").HasPrecision(18, 2);
        builder.Property(s => s.Reason).HasColumnName("reason");
        builder.Property(s => s.DecidedBy).HasColumnName("decided_by");
        builder.Property(s => s.DecidedAt).HasColumnName("decided_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(s => s.ContractDocumentId).HasColumnName("contract_document_id");
        builder.Property(s => s.PerformanceBond).HasColumnName("performance_bond").HasPrecision(18, 2);
        builder.Property(s => s.ContractUploadedAt).HasColumnName("contract_uploaded_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(s => s.ContractUploadedBy).HasColumnName("contract_uploaded_by");
        builder.Property(s => s.ContractLate).HasColumnName("contract_late");
        builder.Property(s => s.EscalatedAt).HasColumnName("escalated_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Ignore(s => s.HasContract);
        builder.HasIndex(s => new { s.ProjectId, s.SectionId }).IsUnique();
    }
}

public sealed class AwardNoticeIssueConfiguration : IEntityTypeConfiguration<AwardNoticeIssue>
{
    public void Configure(EntityTypeBuilder<AwardNoticeIssue> builder)
    {
        builder.ToTable("tr_ec_award_notices");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(n => n.ProjectId).HasColumnName("project_id");
        builder.Property(n => n.SectionId).HasColumnName("section_id");
        builder.Property(n => n.SectionCode).HasColumnName("section_code");
        builder.Property(n => n.EntityId).HasColumnName("entity_id");
        builder.Property(n => n.EntityName).HasColumnName("entity_name");
        builder.Property(n => n.Kind).HasColumnName("kind").HasConversion<string>();
        builder.Property(n => n.IssuedAt).HasColumnName("issued_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(n => n.IssuedDocumentId).HasColumnName("issued_document_id");
        builder.Property(n => n.DocumentId).HasColumnName("document_id");
        builder.Property(n => n.Sm3).HasColumnName("sm3");
        builder.Property(n => n.FileName).HasColumnName("file_name");
        builder.Property(n => n.VerifyPath).HasColumnName("verify_path");
        builder.Ignore(n => n.IsPrinted);
    }
}

public sealed class ResultObjectionConfiguration : IEntityTypeConfiguration<ResultObjection>
{
    public void Configure(EntityTypeBuilder<ResultObjection> builder)
    {
        builder.ToTable("tr_ec_result_objections");
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

public sealed class TenderComplaintConfiguration : IEntityTypeConfiguration<TenderComplaint>
{
    public void Configure(EntityTypeBuilder<TenderComplaint> builder)
    {
        builder.ToTable("tr_ec_complaints");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(c => c.ProjectId).HasColumnName("project_id");
        builder.Property(c => c.ObjectionKind).HasColumnName("objection_kind").HasConversion<string>();
        builder.Property(c => c.ObjectionId).HasColumnName("objection_id");
        builder.Property(c => c.EntityId).HasColumnName("entity_id");
        builder.Property(c => c.EntityName).HasColumnName("entity_name");
        builder.Property(c => c.Text).HasColumnName("text");
        builder.Property(c => c.FiledBy).HasColumnName("filed_by");
        builder.Property(c => c.FiledAt).HasColumnName("filed_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(c => c.AcceptDueAt).HasColumnName("accept_due_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(c => c.AcceptedAt).HasColumnName("accepted_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(c => c.AcceptedBy).HasColumnName("accepted_by");
        builder.Property(c => c.RefusedAt).HasColumnName("refused_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(c => c.RefusedBy).HasColumnName("refused_by");
        builder.Property(c => c.RefusalReason).HasColumnName("refusal_reason");
        builder.Property(c => c.DecideDueAt).HasColumnName("decide_due_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(c => c.AcceptEscalatedAt).HasColumnName("accept_escalated_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(c => c.DecideEscalatedAt).HasColumnName("decide_escalated_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(c => c.Decision).HasColumnName("decision");
        builder.Property(c => c.DecidedBy).HasColumnName("decided_by");
        builder.Property(c => c.DecidedAt).HasColumnName("decided_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Ignore(c => c.IsOpen);
        builder.Ignore(c => c.Stage);
    }
}

public sealed class AwardSuspensionConfiguration : IEntityTypeConfiguration<AwardSuspension>
{
    public void Configure(EntityTypeBuilder<AwardSuspension> builder)
    {
        builder.ToTable("tr_ec_suspensions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(s => s.ProjectId).HasColumnName("project_id");
        builder.Property(s => s.ComplaintId).HasColumnName("complaint_id");
        builder.Property(s => s.Reason).HasColumnName("reason");
        builder.Property(s => s.OrderedBy).HasColumnName("ordered_by");
        builder.Property(s => s.OrderedAt).HasColumnName("ordered_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(s => s.ResumedBy).HasColumnName("resumed_by");
        builder.Property(s => s.ResumedAt).HasColumnName("resumed_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(s => s.ResumeReason).HasColumnName("resume_reason");
        builder.Ignore(s => s.IsActive);
    }
}
