using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// Only bidders whose deposit is held may bid (docs/bidding.md): a refund decided at the very moment staff approve the
/// bidder or the engine admits it must not leave it approved or admitted with its deposit gone, and a bidder whose
/// deposit leaves the held state while admitted bids no more.
/// </summary>
public sealed class DepositEligibilityTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => GrantHost.At(month, day, hour, minute);

    /// <summary>
    /// A guard asked last, after the real ones found nothing to hold: it stops the refund right there (its check done,
    /// its decision not yet written) until the test lets it go, so the other side runs inside that window every time.
    /// </summary>
    private sealed class PausingGuard : IDepositRefundGuard
    {
        public Guid? Entity { get; set; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<DepositRefundHold?> HoldAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken)
        {
            if (entityId == Entity)
            {
                Entered.TrySetResult();
                await Release.Task;
            }

            return null;
        }

        public Task<IReadOnlyDictionary<Guid, DepositRefundHold>> HoldsAsync(Guid sectionId, IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<Guid, DepositRefundHold>>(new Dictionary<Guid, DepositRefundHold>());
    }

    private static Task<GrantHost> StartAsync(DatabaseProvider provider, PausingGuard? pause = null) =>
        GrantHost.StartAsync(provider, configure: services =>
        {
            if (pause is not null)
            {
                services.AddSingleton<IDepositRefundGuard>(pause);
            }

            services.Configure<DepositOptions>(o =>
            {
                o.ForfeitureAccount = "9558 8000 0000 0001";
                o.ForfeitureAccountName = "测试财政专户";
                o.ForfeitureBank = "测试银行";
            });
        });

    private static async Task<(GrantOffering Offering, List<GrantApplication> Applications)> PaidApplicantsAsync(GrantHost host)
    {
        var offering = await GrantWalkTests.AnnouncedAsync(host, host.MineralAuction(), TradeTypes.MineralRights, null);
        var applications = new List<GrantApplication>();
        foreach (var (company, user) in host.Companies.Zip(new[] { "bidder1", "bidder2", "bidder3" }))
        {
            var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder(user), offering.Id, company.Id);
            await host.PayAsync(offering, company, account, 600_000m);
            applications.Add(application);
        }

        return (offering, applications);
    }

    /// <summary>Lets the other side run as far as it can while the refund is stopped, then lets the refund finish.</summary>
    private static async Task<BankInstruction> RaceAsync(DepositService deposits, PausingGuard pause, Guid sectionId, Guid entityId, Func<Task> other, Task[] started)
    {
        pause.Entity = entityId;
        var refund = Task.Run(() => deposits.RefundAsync(sectionId, entityId, "staff-a", CancellationToken.None));
        await pause.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        started[0] = Task.Run(other);
        await Task.WhenAny(started[0], Task.Delay(TimeSpan.FromSeconds(1)));
        pause.Release.TrySetResult();
        return await refund.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task RefundAndApproval_AtTheSameMoment_TheApprovalIsRefused_NeverApprovedWithTheDepositRefunded(DatabaseProvider provider)
    {
        var pause = new PausingGuard();
        await using var host = await StartAsync(provider, pause);
        var deposits = host.Services.GetRequiredService<DepositService>();
        var (offering, applications) = await PaidApplicantsAsync(host);
        var entityId = applications[0].EntityId;

        var started = new Task[1];
        var refund = await RaceAsync(deposits, pause, offering.SectionId, entityId,
            () => host.Grants.DecideAsync(host.Staff, applications[0].Id, approve: true, null), started);

        Assert.Equal(InstructionKind.Refund, refund.Kind);
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => started[0].WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(GrantRules.DepositReleased, refused.RuleCode);
        var application = (await host.Grants.ApplicationsAsync(offering.Id)).Single(a => a.Id == applications[0].Id);
        Assert.NotEqual(GrantApplicationState.Approved, application.State);
        Assert.Null(await host.Bidding.BidderOfAsync(offering.LotId!.Value, entityId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task RefundAndAdmission_AtTheSameMoment_TheAdmissionIsRefused_NeverAdmittedWithTheDepositRefunded(DatabaseProvider provider)
    {
        var pause = new PausingGuard();
        await using var host = await StartAsync(provider, pause);
        var deposits = host.Services.GetRequiredService<DepositService>();
        var (offering, applications) = await PaidApplicantsAsync(host);
        var entityId = applications[1].EntityId;
        // Registered for the section another way than the grant's approval (as a trade slice admitting to its own lot
        // does): nothing but the lot's admission will hold its deposit.
        await host.Services.GetRequiredService<ParticipationService>().EnsureAsync(offering.SectionId, entityId, ParticipationOrigin.Applied, "staff-b");

        var started = new Task[1];
        var refund = await RaceAsync(deposits, pause, offering.SectionId, entityId,
            () => host.Bidding.AdmitAsync(offering.LotId!.Value, entityId, applications[1].EntityName, "staff-b"), started);

        Assert.Equal(InstructionKind.Refund, refund.Kind);
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => started[0].WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(DepositAndRegistrationEligibility.DepositReleased, refused.RuleCode);
        Assert.Null(await host.Bidding.BidderOfAsync(offering.LotId!.Value, entityId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task DepositForfeitedDuringTheSale_TheBidderLeavesTheAdmissionSet_ItsBidIsRefusedAsNotEligible_TheLogStillVerifies(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var deposits = host.Services.GetRequiredService<DepositService>();
        var (offering, applications) = await PaidApplicantsAsync(host);
        var first = await host.Grants.DecideAsync(host.Staff, applications[0].Id, approve: true, null);
        var second = await host.Grants.DecideAsync(host.Staff, applications[1].Id, approve: true, null);
        var lotId = offering.LotId!.Value;

        await host.AdvanceToAsync(At(11, 23, 10, 1));
        Assert.True((await host.Bidding.SubmitAsync(lotId, first.BidderNumber!.Value, 3_000_000m, "f1")).Accepted);

        await deposits.ForfeitAsync(offering.SectionId, first.EntityId, "扰乱竞价秩序", "staff", CancellationToken.None);

        var refused = await host.Bidding.SubmitAsync(lotId, first.BidderNumber!.Value, 3_100_000m, "f2");
        Assert.False(refused.Accepted);
        Assert.Equal(BiddingRules.NotEligible, refused.Reason);
        Assert.True((await host.Bidding.SubmitAsync(lotId, second.BidderNumber!.Value, 3_050_000m, "s1")).Accepted);

        var log = await host.Bidding.Store.ReadLogAsync(lotId, 0);
        Assert.Equal(first.BidderNumber, Assert.Single(log, e => e.Kind == BidLogKind.Excluded).BidderNumber);
        Assert.True((await host.Bidding.VerifyAsync(lotId)).Valid);

        // A fresh writer (another node, a restart) rebuilds the admission set from the log: still refused.
        await using var other = new BiddingEngine(host.Bidding.Store, host.Bidding.Feed, host.Services.GetRequiredService<IBiddingEligibility>(),
            host.Clock, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        Assert.Equal(BiddingRules.NotEligible, (await other.SubmitAsync(lotId, first.BidderNumber!.Value, 3_200_000m, "f3")).Reason);
    }
}
