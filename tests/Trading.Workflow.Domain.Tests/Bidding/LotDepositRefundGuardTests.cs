using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Bidding;

/// <summary>The bidding engine holds the deposit of a bidder admitted to a lot until the lot closes, whatever sells through it.</summary>
public sealed class LotDepositRefundGuardTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AdmittedToALotThatHasNotClosed_Held_AfterTheClose_Released(DatabaseProvider provider)
    {
        var opens = DateTimeOffset.UtcNow.AddSeconds(-1);
        var time = new BiddingEngineTests.ManualTime(opens.AddSeconds(1));
        await using var host = await TradingDatabaseHost.StartAsync(provider, s => s.AddSingleton<IBiddingEligibility>(new BiddingEngineTests.AdmitAll()), time);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        IDepositRefundGuard guard = Assert.Single(host.Services.GetServices<IDepositRefundGuard>().OfType<LotDepositRefundGuard>());
        var section = Guid.NewGuid();
        var lot = await engine.CreateLotAsync(new LotDefinition(section, null, "测试排污权竞价",
            new LotSettings(BiddingMode.Ascending, 1_000m, 10m, [1], opens, opens.AddMinutes(30), TimeSpan.Zero, TimeSpan.FromMinutes(5)), null), "staff");
        var entity = Guid.NewGuid();
        await engine.AdmitAsync(lot, entity, "测试竞买人", "staff");

        var hold = await guard.HoldAsync(section, entity, CancellationToken.None);
        Assert.Equal(DepositRules.RefundDuringSale, hold?.RuleCode);
        Assert.Equal("测试排污权竞价", hold?.Subject);
        Assert.Null(await guard.HoldAsync(section, Guid.NewGuid(), CancellationToken.None));
        Assert.Null(await guard.HoldAsync(Guid.NewGuid(), entity, CancellationToken.None));
        // The batched form (the section's page): the same hold for the admitted bidder, nothing for the others.
        var outsider = Guid.NewGuid();
        var holds = await guard.HoldsAsync(section, [entity, outsider], CancellationToken.None);
        Assert.Equal(entity, Assert.Single(holds).Key);
        Assert.Equal(hold, holds[entity]);

        time.Advance(TimeSpan.FromMinutes(31));
        await engine.TickAsync(lot);
        Assert.Null(await guard.HoldAsync(section, entity, CancellationToken.None));
        Assert.Empty(await guard.HoldsAsync(section, [entity, outsider], CancellationToken.None));
    }
}
