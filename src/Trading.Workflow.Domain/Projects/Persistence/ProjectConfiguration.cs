using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Projects.Persistence;

/// <summary>tr_projects: one row per project; its sections are <see cref="SectionConfiguration"/>.</summary>
public sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.ToTable("tr_projects");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(p => p.Code).HasColumnName("code").IsRequired();
        builder.HasIndex(p => p.Code).IsUnique();
        builder.Property(p => p.CentreId).HasColumnName("centre_id");
        builder.Property(p => p.TradeType).HasColumnName("trade_type").IsRequired();
        builder.Property(p => p.Method).HasColumnName("method").IsRequired();
        builder.Property(p => p.Name).HasColumnName("name").IsRequired();
        builder.Property(p => p.OwnerEntityId).HasColumnName("owner_entity_id");
        builder.Property(p => p.OwnerName).HasColumnName("owner_name").IsRequired();
        builder.Property(p => p.AgencyEntityId).HasColumnName("agency_entity_id");
        builder.Property(p => p.AgencyName).HasColumnName("agency_name");
        builder.Property(p => p.AgencyLetterSha256).HasColumnName("agency_letter_sha256");
        builder.Property(p => p.StateFunded).HasColumnName("state_funded");
        builder.Property(p => p.EstimatedPrice).HasColumnName("estimated_price").HasPrecision(18, 2);
        builder.Property(p => p.RegionCode).HasColumnName("region_code").IsRequired();
        builder.Property(p => p.Industry).HasColumnName("industry").IsRequired();
        builder.Property(p => p.SupervisingDepartmentName).HasColumnName("supervising_department_name");
        builder.Property(p => p.SupervisingDepartmentCreditCode).HasColumnName("supervising_department_credit_code");
        builder.Ignore(p => p.SupervisingDepartment);
        builder.Property(p => p.State).HasColumnName("state").HasConversion<int>();
        builder.Property(p => p.ProcessId).HasColumnName("process_id");
        builder.Property(p => p.ProcessInstanceId).HasColumnName("process_instance_id");
        builder.Property(p => p.RegisteredBy).HasColumnName("registered_by").IsRequired();
        builder.Property(p => p.RegisteredAt).HasColumnName("registered_at").HasConversion<UtcTimeConverter>();
        builder.Property(p => p.UpdatedAt).HasColumnName("updated_at").HasConversion<UtcTimeConverter>();
        builder.Property(p => p.SubmittedAt).HasColumnName("submitted_at").HasConversion<NullableUtcTimeConverter>();
        builder.Property(p => p.Revision).HasColumnName("revision").IsConcurrencyToken();
        builder.Ignore(p => p.DepositTerms);
        builder.HasMany(p => p.Sections).WithOne().HasForeignKey(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.Sections).HasField("_sections").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
