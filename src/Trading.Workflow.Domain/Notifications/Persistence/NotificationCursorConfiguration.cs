using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Notifications.Persistence;

internal sealed class NotificationCursorConfiguration : IEntityTypeConfiguration<NotificationCursor>
{
    public void Configure(EntityTypeBuilder<NotificationCursor> builder)
    {
        builder.ToTable("tr_notification_cursors");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(50);
        builder.Property(c => c.Position);
        builder.Property(c => c.UpdatedAt);
        NotificationColumns.Apply(builder);
    }
}
