using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Cli.Bidding;

/// <summary>
/// <c>verify-bids</c>: replays the bid log of every lot (or one) of a platform database, read only, with the same rules
/// the server judged by (<see cref="BidLogVerifier"/>), and prints one JSON line per lot: valid, entries, the first
/// entry that does not follow, the outcome the log alone leads to and the one the engine recorded in the Closed entry.
/// </summary>
internal static class VerifyBidsCommand
{
    public const int Valid = 0;
    public const int Invalid = 1;
    public const int Unusable = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(DatabaseProvider provider, string connectionString, Guid? lotId, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (provider == DatabaseProvider.Sqlite
            && new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource is { Length: > 0 } file
            && file != ":memory:" && !File.Exists(file))
        {
            await stderr.WriteLineAsync($"No database at {file} / 找不到数据库 {file}");
            return Unusable;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = provider;
            o.ConnectionString = connectionString;
            o.UpgradeSchemaOnStart = false;
        });
        services.AddTradingKernel();
        await using var provided = services.BuildServiceProvider();
        var store = provided.GetRequiredService<BidLogStore>();
        var allValid = true;
        try
        {
            var lots = lotId is { } one ? [one] : (await store.ListLotsAsync(cancellationToken: cancellationToken)).Select(l => l.Id).ToList();
            foreach (var lot in lots)
            {
                var result = BidLogVerifier.Verify(await store.ReadLogAsync(lot, 0, cancellationToken));
                allValid &= result.Valid;
                await stdout.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    lotId = lot,
                    valid = result.Valid,
                    entries = result.Entries,
                    firstBadSequence = result.FirstBadSequence,
                    problem = result.Problem,
                    acceptedBids = result.AcceptedBids,
                    outcome = result.Outcome,
                    recordedOutcome = result.RecordedOutcome,
                }, Json));
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"Cannot read the bid logs: {e.Message} / 无法读取竞价日志：{e.Message}");
            return Unusable;
        }

        return allValid ? Valid : Invalid;
    }
}
