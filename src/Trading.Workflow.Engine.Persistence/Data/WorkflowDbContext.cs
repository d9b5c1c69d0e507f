using Microsoft.EntityFrameworkCore;

namespace Trading.Workflow.Engine.Persistence.Data;

/// <summary>
/// The engine tables. The schema comes from the versioned scripts (module "engine"), not from EF migrations; this
/// model maps onto it. Columns are snake_case; on SQLite times are stored as UTC ticks and ids as text so that
/// comparisons and ordering run in SQL, on PostgreSQL as timestamptz (UTC) and uuid.
/// </summary>
public sealed class WorkflowDbContext(DbContextOptions<WorkflowDbContext> options) : DbContext(options)
{
    public DbSet<DefinitionEntity> Definitions => Set<DefinitionEntity>();

    public DbSet<InstanceEntity> Instances => Set<InstanceEntity>();

    public DbSet<VariableEntity> Variables => Set<VariableEntity>();

    public DbSet<TaskEntity> Tasks => Set<TaskEntity>();

    public DbSet<TaskCandidateEntity> TaskCandidates => Set<TaskCandidateEntity>();

    public DbSet<SubscriptionEntity> Subscriptions => Set<SubscriptionEntity>();

    public DbSet<TimerEntity> Timers => Set<TimerEntity>();

    public DbSet<JobEntity> Jobs => Set<JobEntity>();

    public DbSet<IncidentEntity> Incidents => Set<IncidentEntity>();

    public DbSet<HistoryEntity> History => Set<HistoryEntity>();

    public DbSet<HolidayCalendarEntity> HolidayCalendar => Set<HolidayCalendarEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        WorkflowModelConventions.ApplyProviderConventions(configurationBuilder, Database);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DefinitionEntity>(e =>
        {
            e.ToTable("wf_definitions");
            e.HasKey(x => x.Id);
        });
        modelBuilder.Entity<InstanceEntity>(e =>
        {
            e.ToTable("wf_instances");
            e.HasKey(x => x.Id);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<VariableEntity>(e =>
        {
            e.ToTable("wf_variables");
            e.HasKey(x => new { x.InstanceId, x.ExecutionId, x.Name });
        });
        modelBuilder.Entity<TaskEntity>(e =>
        {
            e.ToTable("wf_tasks");
            e.HasKey(x => x.Id);
        });
        modelBuilder.Entity<TaskCandidateEntity>(e =>
        {
            e.ToTable("wf_task_candidates");
            e.HasKey(x => new { x.TaskId, x.Kind, x.Value });
        });
        modelBuilder.Entity<SubscriptionEntity>(e =>
        {
            e.ToTable("wf_subscriptions");
            e.HasKey(x => x.Id);
        });
        modelBuilder.Entity<TimerEntity>(e =>
        {
            e.ToTable("wf_timers");
            e.HasKey(x => x.Id);
        });
        modelBuilder.Entity<JobEntity>(e =>
        {
            e.ToTable("wf_jobs");
            e.HasKey(x => x.Id);
        });
        modelBuilder.Entity<IncidentEntity>(e =>
        {
            e.ToTable("wf_incidents");
            e.HasKey(x => x.Id);
        });
        modelBuilder.Entity<HistoryEntity>(e =>
        {
            e.ToTable("wf_history");
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).ValueGeneratedOnAdd();
        });
        modelBuilder.Entity<HolidayCalendarEntity>(e =>
        {
            e.ToTable("wf_holiday_calendar");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
        });

        WorkflowModelConventions.UseSnakeCaseColumns(modelBuilder);
    }
}
