using Npgsql;
using Trading.Workflow.Testing;

namespace Trading.Workflow.Web.Tests.Infrastructure;

/// <summary>
/// One installation of several app nodes on a throwaway PostgreSQL database (<c>TRADING_TEST_PG</c>): each node keeps its
/// own data folder, and shares the keys and documents folders unless told otherwise.
/// </summary>
public sealed class PostgreSqlInstallation : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly string _shared = Directory.CreateTempSubdirectory("tw-installation-").FullName;

    public string ConnectionString => _database.ConnectionString;

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _database.DisposeAsync();
        Directory.Delete(_shared, recursive: true);
    }

    /// <summary>A node (not started yet) sharing the keys, documents and bank instruction folders when asked (all by default).</summary>
    public PlatformFactory Node(bool sharedKeys = true, bool sharedDocuments = true, bool sharedBankFolder = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = _database.ConnectionString,
        };
        if (sharedKeys)
        {
            settings["Storage:KeysFolder"] = Path.Combine(_shared, "keys");
        }

        if (sharedDocuments)
        {
            settings["Documents:Folder"] = Path.Combine(_shared, "files");
        }

        if (sharedBankFolder)
        {
            settings["Deposits:InstructionFolder"] = Path.Combine(_shared, "bank");
        }

        return new PlatformFactory(settings);
    }
}
