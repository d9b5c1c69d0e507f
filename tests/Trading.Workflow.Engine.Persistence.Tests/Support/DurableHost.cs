using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Admin;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Persistence.Tests.Support;

/// <summary>
/// One "application process": its own DI container with the engine on the durable store. Several hosts may share a
/// database (<see cref="StartBeside"/>), as two app servers would.
/// </summary>
internal sealed class DurableHost : IAsyncDisposable
{
    public static readonly DateTimeOffset StartTime = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;
    private readonly TestDatabase? _ownedDatabase;

    private DurableHost(ServiceProvider provider, TestDatabase? ownedDatabase, string connectionString)
    {
        _provider = provider;
        _ownedDatabase = ownedDatabase;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public IServiceProvider Services => _provider;

    public IWorkflowEngine Engine => _provider.GetRequiredService<IWorkflowEngine>();

    public EfWorkflowStore Store => _provider.GetRequiredService<EfWorkflowStore>();

    public WorkflowDatabase Database => _provider.GetRequiredService<WorkflowDatabase>();

    public ProcessVersionService Versions => _provider.GetRequiredService<ProcessVersionService>();

    public InstanceMigrationService Migration => _provider.GetRequiredService<InstanceMigrationService>();

    public WorkflowAdminService Admin => _provider.GetRequiredService<WorkflowAdminService>();

    public DatabaseProvider Provider => Database.Provider;

    /// <summary>A host on a new, empty database.</summary>
    public static async Task<DurableHost> StartAsync(
        DatabaseProvider provider, Action<WorkflowEngineBuilder>? configure = null, Action<WorkflowPersistenceOptions>? persistence = null, TimeProvider? time = null,
        HistoryChainKeys? historyKeys = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        return Build(provider, database.ConnectionString, database, configure, persistence, time, historyKeys);
    }

    /// <summary>A second host on the same database as <paramref name="other"/>.</summary>
    public static DurableHost StartBeside(
        DurableHost other, Action<WorkflowEngineBuilder>? configure = null, Action<WorkflowPersistenceOptions>? persistence = null,
        HistoryChainKeys? historyKeys = null) =>
        Build(other.Provider, other.ConnectionString, null, configure, persistence, null, historyKeys);

    /// <summary>A host on a database someone else owns and deletes.</summary>
    public static DurableHost StartOn(
        DatabaseProvider provider, string connectionString, Action<WorkflowPersistenceOptions>? persistence = null, HistoryChainKeys? historyKeys = null) =>
        Build(provider, connectionString, null, null, persistence, null, historyKeys);

    private static DurableHost Build(
        DatabaseProvider provider, string connectionString, TestDatabase? owned, Action<WorkflowEngineBuilder>? configure,
        Action<WorkflowPersistenceOptions>? persistence, TimeProvider? time, HistoryChainKeys? historyKeys)
    {
        var services = new ServiceCollection();
        if (historyKeys is not null)
        {
            services.AddSingleton(historyKeys);
        }

        services.AddSingleton(time ?? new FixedClock(StartTime));
        services.AddWorkingDayCalendar();
        var builder = services.AddWorkflowEngine(o => o.JobRetryDelay = TimeSpan.Zero);
        configure?.Invoke(builder);
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = provider;
            o.ConnectionString = connectionString;
            persistence?.Invoke(o);
        });
        return new DurableHost(services.BuildServiceProvider(), owned, connectionString);
    }

    /// <summary>Deploys a BPMN file given relative to the test output (e.g. "Bpmn/approval-v1.bpmn").</summary>
    public async Task DeployFileAsync(string relativePath) =>
        await Engine.DeployAsync(BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, relativePath)));

    public static string ReadBpmn(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Bpmn", file));

    /// <summary>Runs SQL on a connection of its own and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>History events stored: a row of several events (one per command and instance) counts each.</summary>
    public async Task<long> HistoryEventsAsync() =>
        Convert.ToInt64(await ScalarAsync("SELECT COALESCE(SUM(\"entry_count\"), 0) FROM \"wf_history\""), System.Globalization.CultureInfo.InvariantCulture);

    public async Task<long> CountAsync(string table) => Convert.ToInt64(await ScalarAsync($"SELECT COUNT(*) FROM \"{table}\""), System.Globalization.CultureInfo.InvariantCulture);

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await Database.OpenConnectionAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        if (_ownedDatabase is not null)
        {
            await _ownedDatabase.DisposeAsync();
        }
    }
}

/// <summary>A clock that stands still unless moved.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
