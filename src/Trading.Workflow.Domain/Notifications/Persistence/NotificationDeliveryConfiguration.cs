using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Notifications.Persistence;

internal sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> builder)
    {
        builder.ToTable("tr_notification_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.NotificationId);
        builder.Property(d => d.Channel).HasMaxLength(NotificationDelivery.MaxChannelLength);
        builder.Property(d => d.Address).HasMaxLength(NotificationDelivery.MaxAddressLength);
        builder.Property(d => d.State);
        builder.Property(d => d.Attempts);
        builder.Property(d => d.LastError).HasMaxLength(NotificationDelivery.MaxErrorLength);
        builder.Property(d => d.Reference).HasMaxLength(NotificationDelivery.MaxErrorLength);
        builder.Property(d => d.CreatedAt);
        builder.Property(d => d.NextAttemptAt);
        builder.Property(d => d.SentAt);
        builder.HasOne<Notification>().WithMany().HasForeignKey(d => d.NotificationId);
        NotificationColumns.Apply(builder);
    }
}
