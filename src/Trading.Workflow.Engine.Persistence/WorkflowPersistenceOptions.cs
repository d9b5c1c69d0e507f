using System.ComponentModel.DataAnnotations;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Engine.Persistence;

/// <summary>Where the engine's state lives. Bound from <see cref="SectionName"/>.</summary>
public sealed class WorkflowPersistenceOptions
{
    public const string SectionName = "Workflow:Persistence";

    /// <summary>Sqlite (default, embedded) or PostgreSql.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>ADO.NET connection string of the provider. Default: a SQLite file <c>workflow.db</c> beside the app.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=workflow.db";

    /// <summary>Bring the engine tables to the latest script version before the first use. Default true.</summary>
    public bool UpgradeSchemaOnStart { get; set; } = true;

    /// <summary>SQLite: how long a command waits for the single writer lock before failing. Default 30 seconds.</summary>
    [Range(0, 600_000)]
    public int SqliteBusyTimeoutMilliseconds { get; set; } = 30_000;

    /// <summary>
    /// SQLite: <c>FULL</c> (default: a commit survives power loss) or <c>NORMAL</c> (faster in WAL mode; a commit
    /// survives a crash of the process but not of the machine).
    /// </summary>
    [RegularExpression("^(FULL|NORMAL)$")]
    public string SqliteSynchronous { get; set; } = "FULL";

    /// <summary>
    /// SQLite: group the commits of concurrent commands into one database transaction (one durable flush), each
    /// command in its own savepoint so that a conflict fails only that command. Commands whose handlers wrote rows in
    /// the command's transaction commit on their own. Default true.
    /// No effect on PostgreSQL: there every command commits on its own connection in one round trip, concurrently
    /// with the others, and the server's own group commit lets concurrent commits share one WAL flush (each still its
    /// own transaction, so a conflict fails only that command).
    /// </summary>
    public bool GroupCommits { get; set; } = true;

    /// <summary>
    /// How often a node reads the stored holiday calendar again, so that an administrator's save on another node (or
    /// in another process on the same file) reaches this node's working-day deadlines. Default 15 seconds.
    /// </summary>
    public TimeSpan CalendarRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);
}
