using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// Staff's return of a submitted offering (退回修改) and the grantor's withdrawal (撤回) on the shipped procedures: the
/// return loops back to the review after a resubmission with dates checked again, a withdrawal ends the procedure with
/// nothing left waiting, and only the right people may do either. The notifications of the grant trail actions reach
/// the grantor and the bidders concerned and nobody else.
/// </summary>
public sealed class GrantReturnWithdrawTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => GrantHost.At(month, day, hour, minute);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Return_ReviseAndResubmit_ReviewComesBackAndPublishes(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.LandRights, host.LandListing());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 52_000_000m);
        var firstLot = offering.LotId;
        var instanceId = await host.InstanceOfAsync(offering);

        var noReason = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.ReturnAsync(host.Staff, offering.Id, "  "));
        Assert.Equal(GrantRules.ReasonRequired, noReason.RuleCode);
        offering = await host.Grants.ReturnAsync(host.Staff, offering.Id, "规划条件缺少建筑限高，请补充");

        Assert.Equal(GrantStage.Returned, offering.Stage);
        Assert.Equal("规划条件缺少建筑限高，请补充", offering.ReturnReason);
        // The returned sale's lot will never close and reveal its reserve, which the resubmission gives again.
        Assert.DoesNotContain(firstLot!.Value, await host.Bidding.Store.DueLotsAsync(At(12, 31)));
        Assert.Empty(await host.OpenTasksAsync(instanceId));
        Assert.Equal(InstanceState.Active, (await host.Engine.GetInstanceAsync(instanceId))!.State);
        // Not on the portal, no applications.
        Assert.DoesNotContain(await host.Grants.ListAsync(GrantHost.Bidder("bidder1"), Trades.TradeTypes.LandRights), o => o.Id == offering.Id);
        Assert.False(await host.Grants.MayReadAsync(GrantHost.Bidder("bidder1"), offering));
        var apply = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id));
        Assert.Equal(GrantRules.ApplicationClosed, apply.RuleCode);

        // A week later the old dates no longer leave 20 日 of notice: the resubmission checks them again.
        host.Clock.Set(At(11, 9));
        var tooLate = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, 52_000_000m));
        Assert.Equal(GrantRules.NoticeTooShort, tooLate.RuleCode);

        // What the submitted project registered stays; the parcel and the dates are corrected.
        var changedPrice = host.LandListing() with { StartPrice = 40_000_000m };
        var fixedTerms = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.ReviseAsync(host.Grantor, offering.Id, offering.Version, changedPrice));
        Assert.Equal(GrantRules.FixedAfterSubmission, fixedTerms.RuleCode);
        var corrected = host.LandListing(At(11, 30), At(12, 11, 10)) with
        {
            ApplicationDeadline = At(12, 9, 17),
            Parcel = host.LandListing().Parcel with { PlanningConditions = "容积率 ≤2.5，建筑密度 ≤30%，绿地率 ≥35%，建筑限高 80 米" },
        };
        offering = await host.Grants.ReviseAsync(host.Grantor, offering.Id, offering.Version, corrected);
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 52_000_000m);

        Assert.Equal(GrantStage.Submitted, offering.Stage);
        Assert.NotEqual(firstLot, offering.LotId);
        Assert.Equal(["reviewOffering"], await host.OpenTasksAsync(instanceId));
        await host.CompleteAsync(instanceId, "reviewOffering", "staff");
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.Announced, offering.Stage);
        Assert.Equal(offering.LotId.ToString(), (await host.Engine.GetVariablesAsync(instanceId))[GrantVariables.LotId]?.ToString());

        var history = await host.Grants.HistoryAsync(offering);
        Assert.Equal(["offering.submitted", "offering.returned", "offering.resubmitted", "notice.published"], history.Select(h => h.Action));
        Assert.Equal("规划条件缺少建筑限高，请补充", history[1].Reason);
        Assert.Equal("staff", history[1].Actor);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ReturnedOrWithdrawn_TheOldLotStaysShelved_LaterCommandsOnItDoNotBringItsTimerBack(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var returned = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.LandRights, host.LandListing());
        returned = await host.Grants.SubmitAsync(host.Grantor, returned.Id, returned.Version, reserve: 52_000_000m);
        var withdrawn = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.MineralRights, host.MineralAuction());
        withdrawn = await host.Grants.SubmitAsync(host.Grantor, withdrawn.Id, withdrawn.Version, reserve: 3_100_000m);
        returned = await host.Grants.ReturnAsync(host.Staff, returned.Id, "请补充");
        withdrawn = await host.Grants.WithdrawAsync(host.Grantor, withdrawn.Id, "规划调整");

        foreach (var (lotId, reason, actor) in new[] { (returned.LotId!.Value, "grants.offering.returned", "staff"), (withdrawn.LotId!.Value, "grants.offering.withdrawn", "grantor") })
        {
            // Each of these wrote the lot's timer again when shelving only cleared it.
            var admit = await Assert.ThrowsAsync<DomainRuleException>(() => host.Bidding.AdmitAsync(lotId, host.Companies[0].Id, host.Companies[0].Name, "staff"));
            Assert.Equal(BiddingRules.Shelved, admit.RuleCode);
            Assert.Equal(BiddingRules.Shelved, (await host.Bidding.SubmitAsync(lotId, 1234, 60_000_000m, "late")).Reason);
            var increment = await Assert.ThrowsAsync<DomainRuleException>(() => host.Bidding.ChangeIncrementAsync(lotId, 1_000_000m, []));
            Assert.Equal(BiddingRules.Shelved, increment.RuleCode);
            Assert.Empty(await host.Bidding.TickAsync(lotId));

            var lot = (await host.Bidding.Store.FindLotAsync(lotId))!;
            Assert.Equal(LotPhase.Shelved, lot.Phase);
            Assert.Null(lot.NextDue);
            Assert.DoesNotContain(lotId, await host.Bidding.Store.DueLotsAsync(At(12, 31)));
            var shelved = Assert.Single(await host.Bidding.Store.ReadLogAsync(lotId, 0), e => e.Kind == BidLogKind.Shelved);
            Assert.Contains(reason, shelved.Data, StringComparison.Ordinal);
            Assert.True((await host.Bidding.VerifyAsync(lotId)).Valid);
            var record = Assert.Single(await host.TrailAsync(BiddingTrail.Shelved), e => e.SubjectId == lotId.ToString());
            Assert.Equal(actor, record.Actor);
        }

        // Past both sales' dates: neither lot opens or closes, so no reserve is published.
        await host.AdvanceToAsync(At(12, 31));
        foreach (var lotId in new[] { returned.LotId!.Value, withdrawn.LotId!.Value })
        {
            Assert.Equal(LotPhase.Shelved, (await host.Bidding.Store.FindLotAsync(lotId))!.Phase);
            Assert.DoesNotContain(await host.Bidding.Store.ReadLogAsync(lotId, 0), e => e.Kind is BidLogKind.PhaseChanged or BidLogKind.Closed);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Return_OnAProcedureVersionWithoutTheReturnPath_IsRefusedAndPublishesNothing(DatabaseProvider provider)
    {
        // The version shipped before returns existed, published again (as on an installation whose administrator has
        // not yet published the new one): the current handlers still set every variable the new version reads.
        await using var host = await GrantHost.StartAsync(provider);
        await host.Engine.DeployAsync(Engine.Parsing.BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Grants", "Bpmn", "land-grant-before-returns.bpmn")));
        var offering = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.LandRights, host.LandListing());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 52_000_000m);
        var instanceId = await host.InstanceOfAsync(offering);
        Assert.Equal(2, (await host.Engine.GetInstanceAsync(instanceId))!.ProcessVersion);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.ReturnAsync(host.Staff, offering.Id, "请补充"));

        Assert.Equal(GrantRules.ProcedureOutdated, refused.RuleCode);
        Assert.Equal(GrantStage.Submitted, (await host.Grants.GetAsync(offering.Id))!.Stage);
        Assert.Equal(["reviewOffering"], await host.OpenTasksAsync(instanceId));
        Assert.Empty(await host.TrailAsync("grants.notice.published"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Return_ByOthersThanTheCentresStaff_IsRefused(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.MineralRights, host.MineralAuction());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 3_100_000m);
        var instanceId = await host.InstanceOfAsync(offering);

        var otherCentre = new GrantActor("staff", "staff", [PlatformRoles.Staff], Guid.NewGuid());
        foreach (var actor in new[] { host.Grantor, otherCentre, GrantHost.Bidder("bidder1") })
        {
            var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.ReturnAsync(actor, offering.Id, "理由"));
            Assert.Equal(GrantRules.NotAllowed, refused.RuleCode);
        }

        Assert.Equal(["reviewOffering"], await host.OpenTasksAsync(instanceId));
        Assert.Equal(GrantStage.Submitted, (await host.Grants.GetAsync(offering.Id))!.Stage);
        Assert.Empty(await host.TrailAsync("grants.offering.returned"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ReturnedOffering_RevisedOrResubmittedByAnotherGrantor_IsRefused(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.LandRights, host.LandListing());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 52_000_000m);
        offering = await host.Grants.ReturnAsync(host.Staff, offering.Id, "请补充");

        // A Tenderee user acting for another entity (bidder1's company), not for the bureau that owns the offering.
        var stranger = new GrantActor("bidder1", "bidder1", [PlatformRoles.Tenderee], host.Centre.Id);
        var revise = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.ReviseAsync(stranger, offering.Id, offering.Version, host.LandListing()));
        var resubmit = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.SubmitAsync(stranger, offering.Id, offering.Version, 52_000_000m));
        var withdraw = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.WithdrawAsync(stranger, offering.Id));
        Assert.All(new[] { revise, resubmit, withdraw }, e => Assert.Equal(GrantRules.NotAllowed, e.RuleCode));
        Assert.Equal(GrantStage.Returned, (await host.Grants.GetAsync(offering.Id))!.Stage);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Withdraw_UnderReviewOrAfterReturn_EndsTheProcedureWithNothingLeft(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var underReview = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.LandRights, host.LandListing());
        underReview = await host.Grants.SubmitAsync(host.Grantor, underReview.Id, underReview.Version, reserve: 52_000_000m);
        var returned = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.MineralRights, host.MineralAuction());
        returned = await host.Grants.SubmitAsync(host.Grantor, returned.Id, returned.Version, reserve: 3_100_000m);
        returned = await host.Grants.ReturnAsync(host.Staff, returned.Id, "坐标有误");

        foreach (var offering in new[] { underReview, returned })
        {
            var instanceId = await host.InstanceOfAsync(offering);
            var withdrawn = await host.Grants.WithdrawAsync(host.Grantor, offering.Id, "规划调整，暂缓出让");

            Assert.Equal(GrantStage.Withdrawn, withdrawn.Stage);
            Assert.Equal("grantor", withdrawn.WithdrawnBy);
            await host.Engine.ExecuteDueJobsAsync(); // the archive step, the engine's job (tw:async), as the scheduler runs it
            Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instanceId))!.State);
            Assert.Empty(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId }));
            Assert.Empty(await host.Engine.GetTimersAsync(instanceId));
            Assert.Empty(await host.Engine.GetSubscriptionsAsync(instanceId));
            await using var db = host.Database.Database.Create();
            Assert.Equal(ProjectState.Terminated, (await db.Set<Project>().AsNoTracking().SingleAsync(p => p.Id == offering.ProjectId)).State);
        }

        var trail = await host.TrailAsync("grants.offering.withdrawn");
        Assert.Equal(2, trail.Count);
        Assert.All(trail, e => Assert.Equal("grantor", e.Actor));
        Assert.DoesNotContain(await host.Grants.ListAsync(GrantHost.Bidder("bidder1"), Trades.TradeTypes.LandRights), o => o.Id == underReview.Id);

        // The lots never open or close (a close would publish the reserve): past their end nothing has moved, and nothing
        // reaches the ended procedures.
        await host.AdvanceToAsync(At(12, 4, 10, 5));
        foreach (var offering in new[] { underReview, returned })
        {
            var lot = (await host.Bidding.Store.FindLotAsync(offering.LotId!.Value))!;
            Assert.Equal(LotPhase.Shelved, lot.Phase);
            Assert.DoesNotContain(offering.LotId!.Value, await host.Bidding.Store.DueLotsAsync(At(12, 31)));
        }

        Assert.Equal(GrantStage.Withdrawn, (await host.Grants.GetAsync(underReview.Id))!.Stage);
        Assert.Empty(await host.Engine.GetIncidentsAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Withdraw_AfterTheNoticeIsPublished_IsRefused(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.LandRights, host.LandListing());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 52_000_000m);
        var instanceId = await host.InstanceOfAsync(offering);
        await host.CompleteAsync(instanceId, "reviewOffering", "staff");

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.WithdrawAsync(host.Grantor, offering.Id));
        Assert.Equal(GrantRules.AlreadyPublished, refused.RuleCode);
        Assert.Equal(GrantStage.Announced, (await host.Grants.GetAsync(offering.Id))!.Stage);
        Assert.Equal(InstanceState.Active, (await host.Engine.GetInstanceAsync(instanceId))!.State);
        var late = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.ReturnAsync(host.Staff, offering.Id, "理由"));
        Assert.Equal(GrantRules.WrongStage, late.RuleCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task GrantTrailActions_NotifyTheGrantorAndTheBiddersConcernedOnly(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.MineralRights, host.MineralAuction());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 3_100_000m);
        offering = await host.Grants.ReturnAsync(host.Staff, offering.Id, "缺少资源储量核实报告");
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 3_100_000m);
        await host.CompleteAsync(await host.InstanceOfAsync(offering), "reviewOffering", "staff");

        var (first, firstAccount) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);
        var (second, _) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder2"), offering.Id, host.Companies[1].Id);
        await host.PayAsync(offering, host.Companies[0], firstAccount, 600_000m);
        first = await host.Grants.DecideAsync(host.Staff, first.Id, approve: true, null);
        await host.Grants.DecideAsync(host.Staff, second.Id, approve: false, "未提交安全生产许可");
        await host.AdvanceToAsync(At(11, 23, 10, 1));
        Assert.True((await host.Bidding.SubmitAsync(offering.LotId!.Value, first.BidderNumber!.Value, 3_200_000m, "n1")).Accepted);
        await host.AdvanceToAsync(At(11, 23, 11, 1));
        Assert.Equal(GrantStage.Sold, (await host.Grants.GetAsync(offering.Id))!.Stage);

        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using var db = host.Database.Database.Create();
        var sent = (await db.Set<Notification>().AsNoTracking().Where(n => n.Template.StartsWith("grants.")).ToListAsync())
            .Select(n => (n.Template, n.UserId, n.Body)).OrderBy(n => n.Template).ThenBy(n => n.UserId).ToList();

        Assert.Equal(
            [
                (GrantNotificationRules.Approved, "bidder1"),
                (GrantNotificationRules.Rejected, "bidder2"),
                (GrantNotificationRules.Sold, "bidder1"),
                (GrantNotificationRules.Sold, "grantor"),
                (GrantNotificationRules.NoticePublished, "grantor"),
                (GrantNotificationRules.Returned, "grantor"),
            ],
            sent.Select(n => (n.Template, n.UserId)));
        Assert.Contains("缺少资源储量核实报告", sent.Single(n => n.Template == GrantNotificationRules.Returned).Body, StringComparison.Ordinal);
        Assert.Contains($"竞买号 {first.BidderNumber}", sent.Single(n => n.Template == GrantNotificationRules.Approved).Body, StringComparison.Ordinal);
        Assert.Contains("未提交安全生产许可", sent.Single(n => n.Template == GrantNotificationRules.Rejected).Body, StringComparison.Ordinal);
        Assert.Contains("3,200,000.00", sent.First(n => n.Template == GrantNotificationRules.Sold).Body, StringComparison.Ordinal);
    }
}
