using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Trading.Workflow.Engine.Quartz.Reminders;

/// <summary>
/// Notifications in the application database (table <c>wf_notifications</c>, created when missing). A unique key on
/// task, kind and recipient makes adding idempotent even when two nodes scan at once. Times are stored as ISO 8601
/// text with their offset, the same on SQLite and PostgreSQL.
/// </summary>
public sealed class SqlNotificationSink(IOptions<QuartzTimerOptions> options) : INotificationSink
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS wf_notifications (
            id TEXT NOT NULL PRIMARY KEY,
            recipient TEXT NOT NULL,
            kind TEXT NOT NULL,
            task_id TEXT NOT NULL,
            instance_id TEXT NOT NULL,
            task_name TEXT NULL,
            due TEXT NOT NULL,
            created_at TEXT NOT NULL,
            message_zh TEXT NOT NULL,
            message_en TEXT NOT NULL,
            CONSTRAINT ux_wf_notifications_task_kind_recipient UNIQUE (task_id, kind, recipient)
        )
        """;

    private readonly SemaphoreSlim _ensure = new(1, 1);
    private bool _created;

    public async ValueTask<int> AddAsync(IReadOnlyList<NotificationRecord> notifications, CancellationToken cancellationToken = default)
    {
        if (notifications.Count == 0)
        {
            return 0;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var added = 0;
        foreach (var n in notifications)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO wf_notifications (id, recipient, kind, task_id, instance_id, task_name, due, created_at, message_zh, message_en)
                VALUES (@id, @recipient, @kind, @task, @instance, @name, @due, @created, @zh, @en)
                ON CONFLICT (task_id, kind, recipient) DO NOTHING
                """;
            Add(command, "@id", n.Id.ToString("D"));
            Add(command, "@recipient", n.Recipient);
            Add(command, "@kind", n.Kind.ToString());
            Add(command, "@task", n.TaskId.ToString("D"));
            Add(command, "@instance", n.InstanceId.ToString("D"));
            Add(command, "@name", n.TaskName);
            Add(command, "@due", n.Due.ToString("O", CultureInfo.InvariantCulture));
            Add(command, "@created", n.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            Add(command, "@zh", n.MessageZh);
            Add(command, "@en", n.MessageEn);
            added += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public async ValueTask<IReadOnlyList<NotificationRecord>> GetForRecipientAsync(string recipient, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, recipient, kind, task_id, instance_id, task_name, due, created_at, message_zh, message_en
            FROM wf_notifications WHERE recipient = @recipient ORDER BY created_at, id
            """;
        Add(command, "@recipient", recipient);
        var result = new List<NotificationRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new NotificationRecord(
                Guid.Parse(reader.GetString(0)),
                reader.GetString(1),
                Enum.Parse<NotificationKind>(reader.GetString(2)),
                Guid.Parse(reader.GetString(3)),
                Guid.Parse(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture),
                reader.GetString(8),
                reader.GetString(9)));
        }

        return result;
    }

    private async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        DbConnection connection = settings.Provider == QuartzStoreProvider.PostgreSql
            ? new NpgsqlConnection(settings.ConnectionString)
            : new SqliteConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        if (!_created)
        {
            await _ensure.WaitAsync(cancellationToken);
            try
            {
                if (!_created)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = CreateTable;
                    await command.ExecuteNonQueryAsync(cancellationToken);
                    _created = true;
                }
            }
            finally
            {
                _ensure.Release();
            }
        }

        return connection;
    }

    private static void Add(DbCommand command, string name, string? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = (object?)value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
