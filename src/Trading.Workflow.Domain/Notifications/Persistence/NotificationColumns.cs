using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Trading.Workflow.Domain.Notifications.Persistence;

/// <summary>
/// The storage conventions of the notification tables: snake_case column names, and times as UTC ticks (bigint) on
/// every provider, so comparing and ordering by time run in SQL on SQLite too.
/// </summary>
internal static class NotificationColumns
{
    public static void Apply<T>(EntityTypeBuilder<T> builder)
        where T : class
    {
        foreach (var property in builder.Metadata.GetDeclaredProperties())
        {
            property.SetColumnName(SnakeCase(property.Name));
            if (property.ClrType == typeof(DateTimeOffset))
            {
                property.SetValueConverter(new UtcTicksConverter());
            }
            else if (property.ClrType == typeof(DateTimeOffset?))
            {
                property.SetValueConverter(new UtcTicksConverter());
            }
        }
    }

    private static string SnakeCase(string name)
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
}
