using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

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

/// <summary>The web side's own workflow tables (module "workflow-web"), on the engine's connection and provider conventions.</summary>
public sealed class PlatformWorkflowDbContext(DbContextOptions<PlatformWorkflowDbContext> options) : DbContext(options)
{
    public DbSet<FormEntity> Forms => Set<FormEntity>();

    public DbSet<DocumentEntity> Documents => Set<DocumentEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            configurationBuilder.Properties<Guid>().HaveConversion<GuidTextConverter>();
        }
        else
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ToUtcConverter>();
        }
    }

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
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    private sealed class ToUtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);

    private sealed class GuidTextConverter() : ValueConverter<Guid, string>(v => v.ToString("D"), v => Guid.Parse(v));
}
