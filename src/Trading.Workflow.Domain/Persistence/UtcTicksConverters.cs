using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Trading.Workflow.Domain.Persistence;

/// <summary>
/// Times stored as UTC ticks (a 64-bit integer) on both providers: they sort and compare natively on SQLite, and read
/// back as offset zero. The one copy the parts' configurations share.
/// </summary>
public static class UtcTicksConverters
{
    public static readonly ValueConverter<DateTimeOffset, long> Ticks = new(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    public static readonly ValueConverter<DateTimeOffset?, long?> NullableTicks = new(
        v => v.HasValue ? v.Value.UtcTicks : null, v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);
}
