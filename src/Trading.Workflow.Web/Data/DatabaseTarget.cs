using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Configuration;

namespace Trading.Workflow.Web.Data;

/// <summary>The resolved provider and connection string, computed once from Database and Storage settings.</summary>
public sealed class DatabaseTarget
{
    public DatabaseTarget(IOptions<DatabaseOptions> database, IOptions<StorageOptions> storage)
    {
        Provider = database.Value.Provider;
        DataFolder = storage.Value.ResolveDataFolder();
        if (!string.IsNullOrWhiteSpace(database.Value.ConnectionString))
        {
            ConnectionString = database.Value.ConnectionString;
        }
        else
        {
            // The SQLite file lives in the data folder, created on first start.
            ConnectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(DataFolder, database.Value.SqliteFileName),
            }.ToString();
        }
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public string DataFolder { get; }

    /// <summary>The web app's own script set (accounts, centres) for this provider.</summary>
    public SchemaScriptSet WebSchema() => WebSchemaScripts.For(Provider);
}

/// <summary>The versioned scripts embedded under Data/Schema/&lt;Provider&gt;/.</summary>
public static class WebSchemaScripts
{
    public const string Module = "web";

    public static SchemaScriptSet For(DatabaseProvider provider) => SchemaScriptSet.FromEmbeddedResources(
        Module, provider, typeof(WebSchemaScripts).Assembly, $"Trading.Workflow.Web.Data.Schema.{provider}.");
}
