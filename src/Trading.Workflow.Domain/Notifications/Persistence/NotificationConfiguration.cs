using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Notifications.Persistence;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("tr_notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.UserId).HasMaxLength(Notification.MaxUserIdLength);
        builder.Property(n => n.SourceKey).HasMaxLength(Notification.MaxSourceKeyLength);
        builder.Property(n => n.Template).HasMaxLength(Notification.MaxTemplateLength);
        builder.Property(n => n.Language).HasMaxLength(10);
        builder.Property(n => n.Title).HasMaxLength(Notification.MaxTitleLength);
        builder.Property(n => n.Body).HasMaxLength(Notification.MaxBodyLength);
        builder.Property(n => n.Link).HasMaxLength(Notification.MaxLinkLength);
        builder.Property(n => n.CreatedAt);
        builder.Property(n => n.ReadAt);
        builder.Property(n => n.CentreId);
        builder.Ignore(n => n.IsRead);
        builder.HasIndex(n => new { n.SourceKey, n.UserId }).IsUnique();
        NotificationColumns.Apply(builder);
    }
}
