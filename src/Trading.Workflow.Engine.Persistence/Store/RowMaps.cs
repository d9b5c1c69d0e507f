using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>
/// How each engine row type maps to its table, read once from the EF model of the provider: table and column
/// names and the value converters (SQLite: UTC ticks, text ids). The store's hot path writes and reads rows with
/// plain ADO.NET through these maps, so it stores exactly what EF would, without EF's per-command change tracking
/// and command pipeline.
/// </summary>
internal sealed class RowMaps
{
    private readonly Dictionary<Type, RowMap> _maps = [];

    public RowMaps(WorkflowDatabase database)
    {
        // The model needs no open connection; the context only hands it over.
        using var context = new WorkflowDbContext(database.ContextOptions);
        foreach (var entityType in context.Model.GetEntityTypes())
        {
            // A history row is told apart within a commit by its instance and chain position (unique per instance):
            // a multi-row insert returns each row's sequence with them, in whatever order the database returns rows.
            _maps[entityType.ClrType] = entityType.ClrType == typeof(HistoryEntity)
                ? new RowMap(entityType, nameof(HistoryEntity.InstanceId), nameof(HistoryEntity.ChainPosition))
                : new RowMap(entityType);
        }

        // The row's sequence is its last event's. SQLite: the one writer makes MAX the last sequence given. PostgreSQL:
        // commands commit side by side, so each row takes one value of the sequence, which steps by
        // HistoryRows.MaxEvents (script 0007), and its events the numbers from that value on.
        var history = For<HistoryEntity>();
        var sequence = history.Generated!.Name;
        HistoryRowOfEventsSql = history.InsertWithGeneratedSql(database.Provider == DatabaseProvider.Sqlite
            ? $"(SELECT COALESCE(MAX({sequence}), 0) FROM {history.Table}) + {{0}}"
            : $"nextval(pg_get_serial_sequence('{history.Table}', '{sequence.Trim('"')}')) + {{0}} - 1");

        // A new instance on the version read as the latest (InstanceChange.OnLatestVersion): inserted only while that
        // version is still the latest published one, so a publish or retire by another process fails the start.
        var instances = For<InstanceEntity>();
        var columns = instances.Inserted.Length;
        var definitions = For<DefinitionEntity>();
        InstanceOnLatestVersionSql =
            $"INSERT INTO {instances.Table} ({string.Join(", ", instances.Inserted.Select(c => c.Name))}) " +
            $"SELECT {string.Join(", ", Enumerable.Range(0, columns).Select(i => $"{{{i}}}"))} " +
            $"WHERE (SELECT MAX({definitions.Column(nameof(DefinitionEntity.Version)).Name}) FROM {definitions.Table} " +
            $"WHERE {definitions.Column(nameof(DefinitionEntity.ProcessId)).Name} = {{{columns}}} " +
            $"AND {definitions.Column(nameof(DefinitionEntity.State)).Name} = {(int)DefinitionState.Published}) = {{{columns + 1}}}";
    }

    /// <summary>Inserts a new instance (its columns, then <c>{n}</c> its process id and <c>{n+1}</c> its version) if that version is still the latest published.</summary>
    public string InstanceOnLatestVersionSql { get; }

    /// <summary>Inserts a history row of several events (<c>HistoryRows</c>): <c>{0}</c> their count, then the row's columns.</summary>
    public string HistoryRowOfEventsSql { get; }

    public RowMap For<TEntity>() => _maps[typeof(TEntity)];

    public RowMap For(Type type) => _maps[type];
}

internal sealed class RowMap
{
    private readonly Dictionary<string, ColumnMap> _byProperty;
    private readonly ConcurrentDictionary<(ulong Changed, string? Check), string> _changedUpdates = new();
    private readonly ConcurrentDictionary<int, string> _inserts = new();
    private readonly string _insertPrefix;
    private readonly string _returning;

    /// <param name="entityType">The EF entity type.</param>
    /// <param name="identifying">
    /// For a table with a store-generated column: the properties that tell its rows apart within one statement,
    /// returned with the generated value (see <see cref="Returned"/>).
    /// </param>
    public RowMap(IEntityType entityType, params string[] identifying)
    {
        Table = Quote(entityType.GetTableName()!);
        var key = entityType.FindPrimaryKey()!;
        Columns = entityType.GetProperties().Select(p => new ColumnMap(p, key.Properties.Contains(p))).ToArray();
        _byProperty = Columns.ToDictionary(c => c.PropertyName, StringComparer.Ordinal);
        Keys = Columns.Where(c => c.IsKey).ToArray();
        Generated = Columns.SingleOrDefault(c => c.IsGenerated);
        Inserted = Columns.Where(c => !c.IsGenerated).ToArray();
        Updated = Columns.Where(c => !c.IsKey).ToArray();
        SelectList = string.Join(", ", Columns.Select(c => c.Name));
        Returned = Generated is null ? [] : [Generated, .. identifying.Select(p => _byProperty[p])];
        _insertPrefix = $"INSERT INTO {Table} ({string.Join(", ", Inserted.Select(c => c.Name))}) VALUES ";
        _returning = Returned.Length == 0 ? string.Empty : $" RETURNING {string.Join(", ", Returned.Select(c => c.Name))}";
        InsertSql = InsertRowsSql(1);
        UpdateSql = $"UPDATE {Table} SET {string.Join(", ", Updated.Select((c, i) => $"{c.Name} = {{{i}}}"))} WHERE {KeyCondition(Updated.Length)}";
        DeleteSql = $"DELETE FROM {Table} WHERE {KeyCondition(0)}";
        if (Updated.Length > 64)
        {
            throw new NotSupportedException($"{Table} has more than 64 updatable columns.");
        }
    }

    public string Table { get; }

    public ColumnMap[] Columns { get; }

    public ColumnMap[] Keys { get; }

    /// <summary>The store-generated column (the history sequence), if any; inserts return it.</summary>
    public ColumnMap? Generated { get; }

    /// <summary>
    /// What an insert returns per row: nothing, or the generated column then the columns that identify the row
    /// within its statement (neither database promises RETURNING's rows in the order of VALUES).
    /// </summary>
    public ColumnMap[] Returned { get; }

    public ColumnMap[] Inserted { get; }

    public ColumnMap[] Updated { get; }

    public string SelectList { get; }

    /// <summary>Statement templates: <c>{i}</c> is the i-th parameter (see <see cref="StatementBatch"/>).</summary>
    public string InsertSql { get; }

    public string UpdateSql { get; }

    public string DeleteSql { get; }

    public ColumnMap Column(string propertyName) => _byProperty[propertyName];

    public object?[] InsertValues(object entity) => Values(Inserted, entity, []);

    /// <summary>One statement inserting <paramref name="rows"/> rows: their values one row after the other (see <see cref="InsertValues"/>).</summary>
    public string InsertRowsSql(int rows) => _inserts.GetOrAdd(rows, static (n, map) => map.BuildInsert(n), this);

    /// <summary>Writes the insert values of <paramref name="entity"/> into <paramref name="values"/> from <paramref name="offset"/>.</summary>
    public void InsertValues(object entity, object?[] values, int offset)
    {
        for (var i = 0; i < Inserted.Length; i++)
        {
            values[offset + i] = Inserted[i].Get(entity);
        }
    }

    /// <summary>
    /// One row whose generated column is set explicitly to <paramref name="generated"/> (an expression of the
    /// parameter <c>{0}</c>), then the inserted columns from <c>{1}</c>: a history row that stands for several events
    /// takes their sequence numbers (see <c>HistoryRows</c>).
    /// </summary>
    public string InsertWithGeneratedSql(string generated) =>
        $"INSERT INTO {Table} ({Generated!.Name}, {string.Join(", ", Inserted.Select(c => c.Name))}) VALUES ({generated}, {Placeholders(1, Inserted.Length)}){_returning}";

    private string BuildInsert(int rows)
    {
        var sql = new System.Text.StringBuilder(_insertPrefix, _insertPrefix.Length + (rows * Inserted.Length * 6) + _returning.Length);
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (").Append(Placeholders(r * Inserted.Length, Inserted.Length)).Append(')');
        }

        return sql.Append(_returning).ToString();
    }

    /// <summary>The non-key columns then the key, matching <see cref="UpdateSql"/>.</summary>
    public object?[] UpdateValues(object entity) => Values(Updated, entity, Keys);

    public object?[] KeyValues(object entity) => Values(Keys, entity, []);

    /// <summary>
    /// An update of only the columns whose stored values differ between <paramref name="before"/> (the row as stored)
    /// and <paramref name="after"/>: SQLite rewrites an index entry for every index on a column the statement sets,
    /// changed or not (and a trigger <c>AFTER UPDATE OF</c> a column fires only when it is set). Returns the statement
    /// (null when nothing changed) and its values: the changed columns, the key, then <paramref name="check"/>'s
    /// value when given (<c>AND check = {n}</c>; the caller fills the last slot).
    /// </summary>
    public string? ChangedUpdate(object before, object after, out object?[] values, ColumnMap? check = null)
    {
        var current = new object?[Updated.Length];
        ulong changed = 0;
        var count = 0;
        for (var i = 0; i < Updated.Length; i++)
        {
            current[i] = Updated[i].Get(after);
            if (!Equals(current[i], Updated[i].Get(before)))
            {
                changed |= 1UL << i;
                count++;
            }
        }

        if (changed == 0)
        {
            values = [];
            return null;
        }

        values = new object?[count + Keys.Length + (check is null ? 0 : 1)];
        var next = 0;
        for (var i = 0; i < Updated.Length; i++)
        {
            if ((changed & (1UL << i)) != 0)
            {
                values[next++] = current[i];
            }
        }

        foreach (var key in Keys)
        {
            values[next++] = key.Get(after);
        }

        return _changedUpdates.GetOrAdd((changed, check?.Name), static (k, map) => map.BuildUpdate(k.Changed, k.Check), this);
    }

    private string BuildUpdate(ulong changed, string? check)
    {
        var set = Updated.Where((_, i) => (changed & (1UL << i)) != 0).ToArray();
        var sql = $"UPDATE {Table} SET {string.Join(", ", set.Select((c, i) => $"{c.Name} = {{{i}}}"))} WHERE {KeyCondition(set.Length)}";
        return check is null ? sql : $"{sql} AND {check} = {{{set.Length + Keys.Length}}}";
    }

    /// <summary>A row of the reader (selected with <see cref="SelectList"/>, in that order) as an entity.</summary>
    public T Read<T>(DbDataReader reader, int offset = 0)
    {
        var entity = Activator.CreateInstance<T>()!;
        for (var i = 0; i < Columns.Length; i++)
        {
            Columns[i].Set(entity, reader, offset + i);
        }

        return entity;
    }

    private static object?[] Values(ColumnMap[] first, object entity, ColumnMap[] second)
    {
        var values = new object?[first.Length + second.Length];
        for (var i = 0; i < first.Length; i++)
        {
            values[i] = first[i].Get(entity);
        }

        for (var i = 0; i < second.Length; i++)
        {
            values[first.Length + i] = second[i].Get(entity);
        }

        return values;
    }

    private string KeyCondition(int offset) => string.Join(" AND ", Keys.Select((c, i) => $"{c.Name} = {{{offset + i}}}"));

    private static string Placeholders(int offset, int count) => string.Join(", ", Enumerable.Range(offset, count).Select(i => $"{{{i}}}"));

    internal static string Quote(string name) => "\"" + name + "\"";
}

/// <summary>One column: the CLR property, its column name and the provider conversion EF would apply.</summary>
internal sealed class ColumnMap
{
    private readonly Func<object, object?> _get;
    private readonly Action<object, object?> _set;
    private readonly ValueConverter? _converter;
    private readonly Type _providerType;

    public ColumnMap(IProperty property, bool isKey)
    {
        (_get, _set) = Accessors(property.PropertyInfo!);
        PropertyName = property.Name;
        Name = RowMap.Quote(property.GetColumnName());
        IsKey = isKey;
        // Store-generated: an integer key the database numbers (the history sequence). Guid keys that EF would
        // generate on the client are always set by the engine.
        IsGenerated = isKey && property.ValueGenerated == ValueGenerated.OnAdd && property.ClrType == typeof(long);
        _converter = property.GetTypeMapping().Converter;
        var type = _converter?.ProviderClrType ?? property.ClrType;
        _providerType = Nullable.GetUnderlyingType(type) ?? type;
    }

    public string PropertyName { get; }

    /// <summary>Quoted column name.</summary>
    public string Name { get; }

    public bool IsKey { get; }

    public bool IsGenerated { get; }

    public object? Get(object entity) => ToProvider(_get(entity));

    /// <summary>A CLR value as the provider stores it (null as null).</summary>
    public object? ToProvider(object? value) => value is null ? null : _converter is null ? value : _converter.ConvertToProvider(value);

    public void Set(object entity, DbDataReader reader, int ordinal) => _set(entity, Read(reader, ordinal));

    /// <summary>
    /// The property's getter and setter as delegates, boxing as PropertyInfo.GetValue and SetValue do (null sets a
    /// value type's default): a command reads a few hundred column values, and reflection's invoke cost more per
    /// value than the rest of the mapping.
    /// </summary>
    private static (Func<object, object?> Get, Action<object, object?> Set) Accessors(PropertyInfo property) =>
        ((Func<object, object?>, Action<object, object?>))typeof(ColumnMap).GetMethod(nameof(TypedAccessors), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(property.DeclaringType!, property.PropertyType).Invoke(null, [property])!;

    private static (Func<object, object?>, Action<object, object?>) TypedAccessors<TEntity, TValue>(PropertyInfo property)
    {
        var get = property.GetGetMethod(nonPublic: true)!.CreateDelegate<Func<TEntity, TValue>>();
        var set = property.GetSetMethod(nonPublic: true)!.CreateDelegate<Action<TEntity, TValue>>();
        return (entity => get((TEntity)entity), (entity, value) => set((TEntity)entity, value is null ? default! : (TValue)value));
    }

    /// <summary>The CLR value of this column at <paramref name="ordinal"/> of the reader's row.</summary>
    public object? Read(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var value = ReadProvider(reader, ordinal);
        return _converter is null ? value : _converter.ConvertFromProvider(value);
    }

    private object ReadProvider(DbDataReader reader, int ordinal) => _providerType switch
    {
        var t when t == typeof(string) => reader.GetString(ordinal),
        var t when t == typeof(int) => reader.GetInt32(ordinal),
        var t when t == typeof(long) => reader.GetInt64(ordinal),
        var t when t == typeof(bool) => reader.GetBoolean(ordinal),
        var t when t == typeof(Guid) => reader.GetGuid(ordinal),
        var t when t == typeof(DateTimeOffset) => reader.GetFieldValue<DateTimeOffset>(ordinal),
        var t when t.IsEnum => Enum.ToObject(t, reader.GetInt32(ordinal)),
        _ => reader.GetValue(ordinal),
    };
}
