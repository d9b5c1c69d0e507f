using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Centres.Persistence;

/// <summary>
/// The trading centres as the trading side reads them (a project's centre code, the centres above and below it).
/// The table belongs to the web's schema (<c>TradingCentres</c>, written by the account administration through its
/// own context); the trading side only reads it, so its schema module adds no script for it.
/// </summary>
public sealed class TradingCentreConfiguration : IEntityTypeConfiguration<TradingCentre>
{
    public void Configure(EntityTypeBuilder<TradingCentre> builder)
    {
        builder.ToTable("TradingCentres", t => t.ExcludeFromMigrations());
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Code).HasMaxLength(TradingCentre.MaxCodeLength);
        builder.Property(c => c.NameZh).HasMaxLength(TradingCentre.MaxNameLength);
        builder.Property(c => c.NameEn).HasMaxLength(TradingCentre.MaxNameLength);
        builder.Property(c => c.Level).HasConversion<int>();
    }
}
