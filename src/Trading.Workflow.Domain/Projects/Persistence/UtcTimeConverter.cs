using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Trading.Workflow.Domain.Projects.Persistence;

/// <summary>
/// Times as UTC <see cref="DateTime"/>: timestamptz on PostgreSQL, ISO text on SQLite — which, unlike a
/// <see cref="DateTimeOffset"/> column, SQLite can order and compare in SQL (the project list is ordered by time).
/// </summary>
internal sealed class UtcTimeConverter() : ValueConverter<DateTimeOffset, DateTime>(
    v => v.UtcDateTime,
    v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)));

internal sealed class NullableUtcTimeConverter() : ValueConverter<DateTimeOffset?, DateTime?>(
    v => v.HasValue ? v.Value.UtcDateTime : null,
    v => v.HasValue ? new DateTimeOffset(DateTime.SpecifyKind(v.Value, DateTimeKind.Utc)) : null);
