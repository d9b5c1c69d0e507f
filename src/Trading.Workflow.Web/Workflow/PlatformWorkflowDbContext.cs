using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Data;

namespace Trading.Workflow.Web.Workflow;

/// <summary>A task form as stored: the schema JSON of one form key, valid from a procedure version on (null: the draft's).</summary>
public sealed class FormEntity
{
    public Guid Id { get; set; }

    public required string ProcessId { get; set; }

    public required string FormKey { get; set; }

    public int? FromVersion { get; set; }

    public required string SchemaJson { get; set; }

    public DateTimeOffset SavedAt { get; set; }

    public string? SavedBy { get; set; }
}

/// <summary>A file uploaded through a task form; the bytes live in the data folder.</summary>
public sealed class DocumentEntity
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public string? BusinessKey { get; set; }

    public Guid? TaskId { get; set; }

    public string? FieldKey { get; set; }

    public required string FileName { get; set; }

    public required string ContentType { get; set; }

    public long Size { get; set; }

    public required string StoragePath { get; set; }

    public required string UploadedBy { get; set; }

    public DateTimeOffset UploadedAt { get; set; }
}

/// <summary>
/// What the shipped procedure file of a process last brought into the database (<see cref="TakenHash"/>), and a newer
/// shipped version waiting for an administrator (<see cref="PendingXml"/>; see <see cref="ShippedProcedureUpdates"/>).
/// </summary>
public sealed class ShippedProcedureEntity
{
    public required string ProcessId { get; set; }

    public required string SourceFile { get; set; }

    public required string TakenHash { get; set; }

    public string? PendingHash { get; set; }

    public string? PendingXml { get; set; }

    public DateTimeOffset? PendingSince { get; set; }

    public bool PendingAsDraft { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The web side's own workflow tables (module "workflow-web"), on the engine's connection and provider conventions.</summary>
public sealed class PlatformWorkflowDbContext(DbContextOptions<PlatformWorkflowDbContext> options) : DbContext(options)
{
    public DbSet<FormEntity> Forms => Set<FormEntity>();

    public DbSet<DocumentEntity> Documents => Set<DocumentEntity>();

    public DbSet<ShippedProcedureEntity> ShippedProcedures => Set<ShippedProcedureEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        WorkflowModelConventions.ApplyProviderConventions(configurationBuilder, Database);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FormEntity>(e =>
        {
            e.ToTable("wf_forms");
            e.HasKey(x => x.Id);
        });
        modelBuilder.Entity<DocumentEntity>(e =>
        {
            e.ToTable("wf_documents");
            e.HasKey(x => x.Id);
        });
        modelBuilder.Entity<ShippedProcedureEntity>(e =>
        {
            e.ToTable("wf_shipped_procedures");
            e.HasKey(x => x.ProcessId);
        });
        WorkflowModelConventions.UseSnakeCaseColumns(modelBuilder);
    }
}
