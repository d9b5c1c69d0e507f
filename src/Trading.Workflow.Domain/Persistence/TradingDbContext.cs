using Microsoft.EntityFrameworkCore;

namespace Trading.Workflow.Domain.Persistence;

/// <summary>
/// The trading model's rows (tables <c>tr_*</c>). Every shared part and trade module maps its entities with one
/// <see cref="IEntityTypeConfiguration{TEntity}"/> class per entity in its own folder; they are all picked up here, so
/// a new part adds no line to this class (use <c>Set&lt;T&gt;()</c>). The schema itself comes from each part's
/// versioned scripts (<see cref="TradingSchemaModule"/>), never from EF migrations.
/// </summary>
public sealed class TradingDbContext(DbContextOptions<TradingDbContext> options) : DbContext(options)
{
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.AddInterceptors(MaxLengthSaveGuard.Instance);

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TradingDbContext).Assembly);
}
