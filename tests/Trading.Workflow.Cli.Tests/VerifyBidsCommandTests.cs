using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Persistence.Data;

namespace Trading.Workflow.Cli.Tests;

/// <summary>
/// <c>verify-bids</c> on a real SQLite platform database: a land listing sold in its timed phase (amounts with the
/// scale of the offering's table, as in the demo) replays to the outcome the engine recorded; an edited bid breaks it.
/// </summary>
public sealed class VerifyBidsCommandTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-cli-bids-").FullName;
    private Guid _lot;
    private int _winner;

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "trading.db")};Pooling=False";

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = Start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class AdmitAll : IBiddingEligibility
    {
        public Task<IReadOnlyList<string>> ProblemsAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>([]);
    }

    public async Task InitializeAsync()
    {
        var clock = new Clock();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = Engine.Persistence.Schema.DatabaseProvider.Sqlite;
            o.ConnectionString = ConnectionString;
        });
        services.AddTradingKernel();
        services.AddSingleton<IBiddingEligibility>(new AdmitAll());
        await using var provided = services.BuildServiceProvider();
        await provided.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync();
        await provided.GetRequiredService<TradingSchema>().UpgradeAsync();
        var engine = provided.GetRequiredService<BiddingEngine>();
        var timer = provided.GetRequiredService<BiddingTimer>();
        _lot = await engine.CreateLotAsync(new LotDefinition(null, null, "演示地块 挂牌（测试）", new LotSettings(BiddingMode.Listing, 50_000_000.00m, 500_000.00m, [],
            Start.AddMinutes(1), Start.AddMinutes(21), TimeSpan.FromMinutes(4), TimeSpan.Zero), 52_000_000m), "staff");
        var a = (await engine.AdmitAsync(_lot, Guid.NewGuid(), "甲", "staff")).Number;
        _winner = (await engine.AdmitAsync(_lot, Guid.NewGuid(), "乙", "staff")).Number;
        clock.Now = Start.AddMinutes(2);
        await timer.RunDueAsync();
        Assert.True((await engine.SubmitAsync(_lot, a, 50_000_000.00m, "1")).Accepted);
        Assert.True((await engine.SubmitAsync(_lot, _winner, 52_000_000.00m, "2")).Accepted);
        clock.Now = Start.AddMinutes(21);
        await timer.RunDueAsync();
        clock.Now = Start.AddMinutes(22);
        Assert.True((await engine.SubmitAsync(_lot, a, 52_500_000.00m, "3")).Accepted);
        Assert.True((await engine.SubmitAsync(_lot, _winner, 53_500_000.00m, "4")).Accepted);
        clock.Now = Start.AddMinutes(26);
        await timer.RunDueAsync();
        await engine.DisposeAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task VerifyBids_SoldListingWithATimedPhase_IsValid_AndDerivesTheRecordedOutcome()
    {
        var run = await CliRun.RunAsync("verify-bids", "--connection", ConnectionString, "--lot", _lot.ToString());

        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.True(line.GetProperty("valid").GetBoolean(), run.Stdout);
        var outcome = line.GetProperty("outcome");
        Assert.True(outcome.GetProperty("sold").GetBoolean());
        Assert.Equal(_winner, outcome.GetProperty("winnerNumber").GetInt32());
        Assert.Equal(53_500_000m, outcome.GetProperty("price").GetDecimal());
        Assert.Equal(53_500_000m, line.GetProperty("recordedOutcome").GetProperty("price").GetDecimal());
        Assert.Equal(4, line.GetProperty("acceptedBids").GetInt32());
    }

    [Fact]
    public async Task VerifyBids_AnAcceptedBidEdited_IsInvalid_AndStillShowsTheRecordedOutcome()
    {
        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                DROP TRIGGER "tr_bidding_log_no_update";
                UPDATE "tr_bidding_log" SET "amount" = '53600000' WHERE "idem_key" = '4';
                """;
            await command.ExecuteNonQueryAsync();
        }

        var run = await CliRun.RunAsync("verify-bids", "--connection", ConnectionString, "--lot", _lot.ToString());

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.False(line.GetProperty("valid").GetBoolean());
        Assert.True(line.GetProperty("firstBadSequence").GetInt64() > 1);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, line.GetProperty("outcome").ValueKind);
        Assert.Equal(53_500_000m, line.GetProperty("recordedOutcome").GetProperty("price").GetDecimal());
    }
}
