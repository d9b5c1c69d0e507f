using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Trading.Workflow.Engine.Persistence.Data;

/// <summary>
/// The storage conventions every workflow table follows, shared by the engine's context and the web side's own
/// workflow tables: snake_case columns; on SQLite times as UTC ticks and ids as text so that comparisons and
/// ordering run in SQL; on PostgreSQL timestamptz written from UTC values.
/// </summary>
public static class WorkflowModelConventions
{
    public static void ApplyProviderConventions(ModelConfigurationBuilder configurationBuilder, DatabaseFacade database)
    {
        if (database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            configurationBuilder.Properties<Guid>().HaveConversion<GuidTextConverter>();
        }
        else
        {
            // Npgsql writes timestamptz only from UTC values.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ToUtcConverter>();
        }
    }

    public static void UseSnakeCaseColumns(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
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

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));

    private sealed class ToUtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => v.ToUniversalTime(),
        v => v);

    private sealed class GuidTextConverter() : ValueConverter<Guid, string>(
        v => v.ToString("D"),
        v => Guid.Parse(v));
}
