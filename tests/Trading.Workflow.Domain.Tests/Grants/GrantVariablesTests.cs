using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Tests.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// Each trade type records its own variables when its procedure starts: a land or mineral grant has no source of funds,
/// so no <c>stateFunded</c> in its variables or history (the 2026-12-03 walk found one in a land grant's history), while
/// an engineering tender keeps it and each grant keeps what its procedure sets (offering, lot, bidding end).
/// </summary>
public sealed class GrantVariablesTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, TradeTypes.LandRights)]
    [InlineData(DatabaseProvider.PostgreSql, TradeTypes.LandRights)]
    [InlineData(DatabaseProvider.Sqlite, TradeTypes.MineralRights)]
    [InlineData(DatabaseProvider.PostgreSql, TradeTypes.MineralRights)]
    public async Task SubmittedGrant_RecordsItsOwnVariables_AndNoStateFunding(DatabaseProvider provider, string tradeType)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, tradeType, tradeType == TradeTypes.LandRights ? host.LandListing() : host.MineralAuction());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: tradeType == TradeTypes.LandRights ? 52_000_000m : 3_100_000m);
        var instanceId = await host.InstanceOfAsync(offering);

        var variables = await host.Engine.GetVariablesAsync(instanceId);
        var history = await host.Engine.GetHistoryAsync(instanceId);

        Assert.DoesNotContain("stateFunded", variables.Keys);
        Assert.DoesNotContain(history, e => e.VariableName == "stateFunded");
        Assert.Equal((offering.ProjectCode, tradeType), (variables["projectCode"], variables["tradeType"]));
        Assert.Equal(offering.Id.ToString(), variables["offeringId"]);
        Assert.Equal(offering.LotId.ToString(), variables["lotId"]);
        Assert.True(variables.ContainsKey("biddingEnds"));
        Assert.Contains(history, e => e.Type == HistoryEventType.VariableCreated && e.VariableName == "offeringId");
        await using var db = host.Database.Database.Create();
        Assert.False(await db.Set<Project>().AsNoTracking().Where(p => p.Id == offering.ProjectId).Select(p => p.StateFunded).SingleAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task SubmittedEngineeringTender_StillRecordsStateFunded(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var actor = ProjectsHost.Tenderee(host.City);
        var project = await host.Projects.RegisterAsync(actor, ProjectsHost.Input());

        var submitted = await host.Projects.SubmitAsync(actor, project.Id, project.Revision);

        var instanceId = submitted.ProcessInstanceId!.Value;
        Assert.Equal(true, (await host.Engine.GetVariablesAsync(instanceId))["stateFunded"]);
        Assert.Contains(await host.Engine.GetHistoryAsync(instanceId), e => e.Type == HistoryEventType.VariableCreated && e.VariableName == "stateFunded");
    }

    [Theory]
    [InlineData(TradeTypes.EngineeringConstruction, true)]
    [InlineData(TradeTypes.GovernmentProcurement, true)]
    [InlineData(TradeTypes.LandRights, false)]
    [InlineData(TradeTypes.MineralRights, false)]
    [InlineData(TradeTypes.StateAssets, false)]
    [InlineData(TradeTypes.EnvironmentalRights, false)]
    public void StateFunding_IsKeptOnlyWhereTheTradeTypeHasFunding(string tradeType, bool kept)
    {
        var owner = new PartyRef(Guid.NewGuid(), "演示市自然资源和规划局");
        var method = TradeMethods.Of(tradeType)[0];
        var project = Project.Register($"DEMO-CITY-{TradeTypes.Abbreviation(tradeType)}-2026-00001", Guid.NewGuid(), tradeType,
            new ProjectDetails(method, "演示项目", owner, null, null, StateFunded: true, "530102", "行业"),
            [new SectionDraft("标段", 1_000_000m)], "staff", DateTimeOffset.UtcNow);

        Assert.Equal(kept, TradeTypes.HasFunding(tradeType));
        Assert.Equal(kept, project.StateFunded);
    }

    [Fact]
    public void NextCheckAt_BeforeTheEnd_TheEnd_PastIt_JustAfterTheCountdown_AtMostAMinuteAway()
    {
        var ends = GrantHost.Start.AddMinutes(2);
        Assert.Equal(ends, GrantLotStateHandler.NextCheckAt(ends, ends, GrantHost.Start));

        // The timed phase of a demo (a 30 s countdown): just after it, not a minute later.
        var now = ends.AddSeconds(5);
        Assert.Equal(ends.AddSeconds(31), GrantLotStateHandler.NextCheckAt(ends, ends.AddSeconds(30), now));

        // A centre's 4-minute countdown, or none read: a minute from now.
        Assert.Equal(now.AddMinutes(1), GrantLotStateHandler.NextCheckAt(ends, ends.AddMinutes(4), now));
        Assert.Equal(now.AddMinutes(1), GrantLotStateHandler.NextCheckAt(ends, null, now));
        Assert.Equal(now.AddMinutes(1), GrantLotStateHandler.NextCheckAt(ends, now, now));
    }
}
