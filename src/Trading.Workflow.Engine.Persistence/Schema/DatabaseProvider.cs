namespace Trading.Workflow.Engine.Persistence.Schema;

/// <summary>The database engines the platform runs on. Names are used in configuration.</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}
