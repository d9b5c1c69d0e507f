using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Trading.Workflow.Domain.Persistence;

/// <summary>A value longer than its column's declared maximum was about to be saved; nothing was saved.</summary>
public sealed class InputTooLongException(string entity, string field, int maxLength, int length)
    : Exception($"{entity}.{field} has {length} characters; at most {maxLength} are allowed.")
{
    public string Entity { get; } = entity;

    public string Field { get; } = field;

    public int MaxLength { get; } = maxLength;

    public int Length { get; } = length;
}

/// <summary>
/// The last guard against oversized text: before any save, every added or changed string property that its
/// configuration gives a maximum length (<c>HasMaxLength</c>) is checked, whatever page, endpoint or handler set it.
/// SQLite does not enforce lengths itself and PostgreSQL would fail with an error the user cannot read.
/// </summary>
public sealed class MaxLengthSaveGuard : SaveChangesInterceptor
{
    public static MaxLengthSaveGuard Instance { get; } = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Check(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public static void Check(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is string text && property.Metadata.GetMaxLength() is { } max && text.Length > max
                    && (entry.State == EntityState.Added || property.IsModified))
                {
                    throw new InputTooLongException(entry.Metadata.ClrType.Name, property.Metadata.Name, max, text.Length);
                }
            }
        }
    }
}
