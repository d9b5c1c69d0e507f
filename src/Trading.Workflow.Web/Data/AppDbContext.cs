using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Centres;

namespace Trading.Workflow.Web.Data;

/// <summary>
/// Accounts and trading centres. The schema comes from the versioned scripts in Data/Schema, not from
/// EF migrations; keep the model provider-neutral and change both script folders with it.
/// </summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : IdentityDbContext<AppUser>(options)
{
    public DbSet<TradingCentre> TradingCentres => Set<TradingCentre>();

    public DbSet<DemoDataStepRecord> DemoDataSteps => Set<DemoDataStepRecord>();

    public DbSet<SignInFailureRecord> SignInFailures => Set<SignInFailureRecord>();

    public DbSet<InstallationCheckRecord> InstallationChecks => Set<InstallationCheckRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<TradingCentre>(centre =>
        {
            centre.ToTable("TradingCentres");
            centre.HasKey(c => c.Id);
            centre.Property(c => c.Id).ValueGeneratedNever();
            centre.Property(c => c.Code).HasMaxLength(TradingCentre.MaxCodeLength).IsRequired();
            centre.HasIndex(c => c.Code).IsUnique();
            centre.Property(c => c.NameZh).HasMaxLength(TradingCentre.MaxNameLength).IsRequired();
            centre.Property(c => c.NameEn).HasMaxLength(TradingCentre.MaxNameLength).IsRequired();
            centre.Property(c => c.Level).HasConversion<int>();
            centre.HasOne<TradingCentre>().WithMany().HasForeignKey(c => c.ParentId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<DemoDataStepRecord>(step =>
        {
            step.ToTable("DemoDataSteps");
            step.HasKey(s => s.Name);
        });

        builder.Entity<SignInFailureRecord>(failure =>
        {
            failure.ToTable("SignInFailures");
            failure.HasKey(f => f.Id);
            failure.HasIndex(f => new { f.Key, f.AtTicks });
            failure.HasIndex(f => f.AtTicks);
        });

        builder.Entity<InstallationCheckRecord>(check =>
        {
            check.ToTable("InstallationChecks");
            check.HasKey(c => c.Name);
        });

        builder.Entity<AppUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(AppUser.MaxDisplayNameLength);
            user.HasOne<TradingCentre>().WithMany().HasForeignKey(u => u.CentreId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}

/// <summary>A demo data step that has run on this database.</summary>
public sealed class DemoDataStepRecord
{
    public required string Name { get; init; }

    public DateTimeOffset CompletedAt { get; init; }
}

/// <summary>One failed sign-in counted by <c>SignInThrottle</c> under one of its keys (account and address, or address).</summary>
public sealed class SignInFailureRecord
{
    public long Id { get; init; }

    public required string Key { get; init; }

    /// <summary>When, in UTC ticks (compared in SQL on both providers).</summary>
    public long AtTicks { get; init; }
}

/// <summary>A value every node of the installation must share (<c>InstallationChecks</c>), recorded by the first to start.</summary>
public sealed class InstallationCheckRecord
{
    public required string Name { get; init; }

    public required string Value { get; init; }

    /// <summary>Since when, in UTC ticks.</summary>
    public long SinceTicks { get; init; }
}
