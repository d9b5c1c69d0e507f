using Microsoft.Extensions.DependencyInjection;
using System.Text.Encodings.Web;
using System.Text.Json;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;

namespace Trading.Workflow.Cli.Trail;

/// <summary>
/// <c>verify-trail</c>: walks the trade trail and every instance's engine history on a platform database (read only:
/// nothing is created or upgraded) and prints one JSON line per chain with the first broken link.
/// </summary>
internal static class VerifyTrailCommand
{
    public const int Intact = 0;
    public const int Broken = 1;
    public const int Unusable = 2;

    /// <summary>The key file the web host keeps in its data folder, relative to that folder.</summary>
    public const string DefaultKeyFile = "keys/trail-hash.key";

    public static async Task<int> RunAsync(
        DatabaseProvider provider, string connectionString, string? keyFile, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (provider == DatabaseProvider.Sqlite
            && new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource is { Length: > 0 } file
            && file != ":memory:" && !File.Exists(file))
        {
            // Opening would create an empty database file.
            await stderr.WriteLineAsync($"No database at {file} / 找不到数据库 {file}");
            return Unusable;
        }

        TrailKeyRing keys;
        var sqliteFile = provider == DatabaseProvider.Sqlite ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource : null;
        keyFile ??= sqliteFile is { Length: > 0 } && sqliteFile != ":memory:"
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sqliteFile))!, DefaultKeyFile) is var beside && File.Exists(beside) ? beside : null
            : null;
        if (keyFile is null)
        {
            keys = TrailKeyRing.None;
        }
        else if (!File.Exists(keyFile) || TrailKey.FromBase64(await File.ReadAllTextAsync(keyFile, cancellationToken)) is not { } key)
        {
            await stderr.WriteLineAsync($"No trail key in {keyFile} / 留痕密钥文件无效：{keyFile}");
            return Unusable;
        }
        else
        {
            keys = new TrailKeyRing(key);
        }

        var services = new ServiceCollection();
        services.AddSingleton(keys);
        services.AddLogging();
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = provider;
            o.ConnectionString = connectionString;
            o.UpgradeSchemaOnStart = false;
        });
        services.AddTradingKernel();
        await using var provided = services.BuildServiceProvider();
        ChainVerification trade;
        HistoryChainSummary engine;
        try
        {
            trade = await provided.GetRequiredService<AuditTrailVerifier>().VerifyAsync(cancellationToken);
            engine = await provided.GetRequiredService<HistoryChainVerifier>().VerifyAllAsync(cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"Cannot read the trail: {e.Message} / 无法读取留痕数据：{e.Message}");
            return Unusable;
        }

        Write(stdout, new
        {
            chain = "trade",
            intact = trade.IsIntact,
            checkedRecords = trade.CheckedCount,
            firstBrokenSequence = trade.FirstBrokenSequence,
            @break = trade.Break.ToString(),
        });
        Write(stdout, new
        {
            chain = "engine",
            intact = engine.IsIntact,
            instancesChecked = engine.InstancesChecked,
            checkedRecords = engine.RowsChecked,
            unchainedRecords = engine.UnchainedRows,
            broken = engine.Broken.Select(b => new { instanceId = b.InstanceId, firstBrokenSequence = b.BrokenSequence, @break = b.Break.ToString(), taskId = b.TaskId }),
            brokenListCapped = engine.BrokenListCapped,
        });
        return trade.IsIntact && engine.IsIntact ? Intact : Broken;
    }

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void Write(TextWriter output, object line)
    {
        output.WriteLine(JsonSerializer.Serialize(line, Json));
        output.Flush();
    }
}
