using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using System.Data.Common;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Domain.Tests.SealedBids;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Testing;

namespace Trading.Workflow.Domain.Tests.Warnings;

/// <summary>
/// The warnings computed by themselves at the opening: the bids' metadata when it starts at the deadline, and the
/// prices of the signed record when it closes; and the sealed bids' client address column reaching an existing database.
/// </summary>
public sealed class OpeningWarningsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Opening_ComputesMetadataWarningsAtTheStart_AndPriceWarningsWhenItCloses(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        var deadline = SealedBidsHost.Start.AddDays(20);
        await host.Bids.SetDeadlineAsync(deadline);
        var bidders = await host.ThreeBiddersAsync();
        var prices = new[] { "8100000.00", "8250000.00", "8400000.00" };
        for (var i = 0; i < bidders.Length; i++)
        {
            await host.SubmitAsync(bidders[i], address: i < 2 ? "203.0.113.7" : "198.51.100.2", price: prices[i]);
            host.Bids.Clock.Advance(TimeSpan.FromSeconds(20));
        }

        host.Bids.Clock.Advance(TimeSpan.FromDays(20));
        OpeningSession session;
        await using (var db = host.Bids.Projects.Database.Database.Create())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            session = await host.Openings.StartAsync(db, host.SectionId, deadline, null, default);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        Assert.Equal(OpeningState.Decrypting, session.State);
        Assert.Equal([WarningKind.CloseSubmissionsSameAddress], (await host.StoredAsync()).Select(w => w.Kind));

        foreach (var bidder in bidders)
        {
            var wrapped = await host.Openings.WrappedKeyAsync(session.Id, bidder.EntityId);
            var outcome = await host.Openings.DecryptAsync(new(session.Id, bidder.EntityId, bidder.User, Convert.ToHexString(Sm2.Decrypt(bidder.Keys.PrivateKeyHex, wrapped))));
            Assert.Equal(OpeningBidState.Decrypted, outcome.State);
        }

        await host.Openings.CloseByHostAsync(session.Id, "staff");

        var stored = await host.StoredAsync();
        Assert.Equal([WarningKind.RegularPrices, WarningKind.CloseSubmissionsSameAddress], stored.Select(w => w.Kind));
        var prices3 = stored[0];
        Assert.Equal(("ConstantGap", "150,000.00"), (prices3.Evidence.Pattern, prices3.Evidence.Value));
        Assert.Equal(bidders.Select(b => b.EntityId).Order(), prices3.Bidders.Select(b => b.EntityId).Order());
        Assert.NotNull((await host.Openings.GetAsync(session.Id))!.Record);

        // Both computations are in the trail as the platform's own, naming the step and what they found.
        var computed = await host.TrailAsync(WarningService.ComputedAction);
        Assert.Equal(2, computed.Count);
        Assert.All(computed, e => Assert.Equal(WarningService.StepActor, e.Actor));
        Assert.Contains(computed, e => e.Data.Contains($"the start of opening {session.Id}", StringComparison.Ordinal) && e.Data.Contains("\"added\":1", StringComparison.Ordinal));
        Assert.Contains(computed, e => e.Data.Contains($"the close of opening {session.Id}", StringComparison.Ordinal) && e.Data.Contains("\"found\":2", StringComparison.Ordinal));
    }

    private const string StartProcedure = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="warnings-test" targetNamespace="http://trading.workflow/test">
          <bpmn:process id="test.opening-start" isExecutable="true">
            <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:serviceTask id="open" tw:handler="openingStart"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
            <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="open" />
            <bpmn:sequenceFlow id="f2" sourceRef="open" targetRef="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ProcedureStartingTheOpening_ComputesTheWarningsInTheEnginesCommand(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        await host.Bids.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var bidders = await host.ThreeBiddersAsync();
        await host.PayAsync(bidders[0].EntityId, "6222000011112222");
        await host.PayAsync(bidders[2].EntityId, "6222000011112222");
        foreach (var bidder in bidders)
        {
            await host.SubmitAsync(bidder);
        }

        host.Bids.Clock.Advance(TimeSpan.FromDays(20));
        var engine = host.Bids.Projects.Engine;
        await engine.DeployAsync(Trading.Workflow.Engine.Parsing.BpmnParser.Parse(StartProcedure));

        var instance = await engine.StartAsync("test.opening-start", host.Bids.Project.Code, new Dictionary<string, object?> { ["sectionId"] = host.SectionId.ToString() });

        Assert.Equal(3, Convert.ToInt32((await engine.GetVariablesAsync(instance.Id))[OpeningVariables.BidCount], System.Globalization.CultureInfo.InvariantCulture));
        var warning = Assert.Single(await host.StoredAsync());
        Assert.Equal(WarningKind.SamePayerAccount, warning.Kind);
        Assert.Equal(new[] { bidders[0].EntityId, bidders[2].EntityId }.Order(), warning.Bidders.Select(b => b.EntityId).Order());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AFailingComputation_NeverFailsTheOpening(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        await host.Bids.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var bidders = await host.ThreeBiddersAsync();
        foreach (var bidder in bidders)
        {
            await host.SubmitAsync(bidder);
        }

        // The warnings' table gone: every statement of the computation fails (on PostgreSQL it would abort the
        // transaction but for the savepoint).
        await using (var db = host.Bids.Projects.Database.Database.Create())
        {
            await db.Database.ExecuteSqlRawAsync("DROP TABLE \"tr_collusion_warnings\"");
        }

        host.Bids.Clock.Advance(TimeSpan.FromDays(20));
        var engine = host.Bids.Projects.Engine;
        await engine.DeployAsync(Trading.Workflow.Engine.Parsing.BpmnParser.Parse(StartProcedure));

        var instance = await engine.StartAsync("test.opening-start", host.Bids.Project.Code, new Dictionary<string, object?> { ["sectionId"] = host.SectionId.ToString() });

        Assert.Equal(3, Convert.ToInt32((await engine.GetVariablesAsync(instance.Id))[OpeningVariables.BidCount], System.Globalization.CultureInfo.InvariantCulture));
        var session = await host.Openings.ForSectionAsync(host.SectionId);
        Assert.Equal(OpeningState.Decrypting, session!.State);
        Assert.Empty(await host.TrailAsync(WarningService.ComputedAction));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Schema_ASealedBidOfVersion1_UpgradesWithoutAClientAddress(DatabaseProvider provider)
    {
        await using var postgres = provider == DatabaseProvider.PostgreSql ? new PostgresTestDatabase() : null;
        var file = Path.Combine(Path.GetTempPath(), $"tw-sealedbids-{Guid.NewGuid():N}.db");
        if (postgres is not null)
        {
            await postgres.InitializeAsync();
        }

        try
        {
            await using DbConnection connection = postgres is not null ? new NpgsqlConnection(postgres.ConnectionString) : new SqliteConnection($"Data Source={file};Pooling=False");
            await connection.OpenAsync();
            var scripts = new TradingSchemaModule("sealedbids", "Trading.Workflow.Domain.SealedBids.Schema").ScriptsFor(provider);
            var migrator = new SchemaMigrator(TimeProvider.System, NullLogger<SchemaMigrator>.Instance);
            await migrator.UpgradeAsync(connection, scripts, targetVersion: 1);
            var id = Guid.NewGuid();
            await using (var insert = connection.CreateCommand())
            {
                insert.CommandText = $"""
                    INSERT INTO "tr_sealed_bids" ("id", "participation_id", "project_id", "section_id", "entity_id", "version", "bidder_key_id", "wrapped_key",
                        "signature", "manifest_sm3", "arrived_at", "receipt_digest", "submitted_by", "state")
                    VALUES ('{id}', '{Guid.NewGuid()}', '{Guid.NewGuid()}', '{Guid.NewGuid()}', '{Guid.NewGuid()}', 1, '{Guid.NewGuid()}', 'k', 's', 'm', 1, 'r', 'bidder', 'Submitted')
                    """;
                await insert.ExecuteNonQueryAsync();
            }

            await migrator.UpgradeAsync(connection, scripts);
            await using var read = connection.CreateCommand();
            read.CommandText = """SELECT "submitted_by", "client_address" IS NULL FROM "tr_sealed_bids" """;
            await using var row = await read.ExecuteReaderAsync();
            Assert.True(await row.ReadAsync());
            Assert.Equal("bidder", row.GetString(0));
            Assert.True(Convert.ToBoolean(row.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
