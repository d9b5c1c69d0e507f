using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.Tests.EngineeringConstruction.Award;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// The demo's "fire now" on the engineering tender's timers whose step reads its date again: fired alone, the procedure
/// only re-arms the timer; with the date moved to now first (<see cref="IDemoTimerDate"/>, what the instance viewer does)
/// it goes on. Only on a demo centre's project.
/// </summary>
public sealed class EngineeringDemoTimerDatesTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task PublicityTimer_FiredNowOnADemoProject_EndsThePublicityAndTheAwardTaskFollows(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var centre = await bed.Host.CentreAsync(isDemo: true);
        var (project, instanceId) = await bed.StartAsync(501, stateFunded: true, At(11, 2, 10), centre);
        bed.Host.Clock.Set(At(11, 2, 11));

        // The bug: fired alone, the step reads the publicity's real end and waits for it again.
        await bed.Engine.FireTimerAsync(PublicityTimer(await bed.Engine.GetTimersAsync(instanceId)).Id);
        Assert.Empty(await bed.OpenTasksAsync(instanceId));
        var timer = PublicityTimer(await bed.Engine.GetTimersAsync(instanceId));

        Assert.True(await MoveToNowAsync(bed.Host, Demo(timer, project.Code, AwardVariables.PublicityEndsAt)));
        await bed.Engine.FireTimerAsync(timer.Id);

        Assert.Equal(["aw_awardDecision"], await bed.OpenTasksAsync(instanceId));
        Assert.Equal(At(11, 2, 11), (await bed.Awards.GetAsync(project.Id))!.Award.PublicityEndsAt);
        Assert.Contains("engineering-construction.publicity.demo-ended", await bed.TrailAsync(project.Id));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task DeadlineTimer_FiredNowOnADemoProject_MovesTheDeadlineAndTheSectionsWindows_AndTheOpeningStarts(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var centre = await host.CentreAsync(isDemo: true);
        var (project, instanceId) = await ScheduledAsync(host, 502, centre);
        await host.AdvanceToAsync(At(11, 4)); // the sale opens when set
        await host.AdvanceToAsync(At(11, 10, 10)); // the sale ended: only the deadline is ahead
        var timer = Assert.Single(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "deadlineTimer");

        Assert.True(await MoveToNowAsync(host, Demo(timer, project.Code, TenderVariables.BidDeadline)));
        await host.Engine.FireTimerAsync(timer.Id);

        Assert.Equal(["openingStart"], host.Opening.Calls);
        var tender = (await host.Tenders.FindAsync(project.Id))!;
        Assert.Equal((TenderStage.Opening, At(11, 10, 10)), (tender.Stage, tender.BidDeadline));
        var window = await host.Services.GetRequiredService<SealedBidService>().FindWindowAsync(Assert.Single(project.Sections).Id);
        Assert.Equal(At(11, 10, 10), window!.Deadline);
        Assert.Single(await TrailAsync(host, "engineering-construction.tender.demo-deadline-now"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task SaleStartTimer_FiredNowOnADemoProject_StartsTheSaleNow_SoABidderCanDownloadTheDocuments(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var centre = await host.CentreAsync(isDemo: true);
        var (project, instanceId) = await ScheduledAsync(host, 504, centre);
        var timer = Assert.Single(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "saleStarts");
        var now = host.Clock.GetUtcNow();
        Assert.True(now < At(11, 4));

        Assert.True(await MoveToNowAsync(host, Demo(timer, project.Code, TenderVariables.SaleStartsAt)));
        await host.Engine.FireTimerAsync(timer.Id);

        var tender = (await host.Tenders.FindAsync(project.Id))!;
        Assert.Equal((TenderStage.OnSale, now), (tender.Stage, tender.SaleStartsAt));
        // The bug: the stage said on sale, but the download read the real start and refused (不在招标文件发售期内).
        await host.Tenders.RecordDownloadAsync(project.Id, tender.DocumentIds[0], host.Bidders[0].Id, TenderHost.Bidder(1));
        Assert.Single(await TrailAsync(host, "engineering-construction.tender.demo-sale-started"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task DeadlineTimer_ProjectOfACentreThatIsNotDemoData_IsRefusedAndNothingMoves(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var centre = await host.CentreAsync(isDemo: false);
        var (project, instanceId) = await ScheduledAsync(host, 503, centre);
        await host.AdvanceToAsync(At(11, 4)); // the sale opens when set
        await host.AdvanceToAsync(At(11, 10, 10));
        var timer = Assert.Single(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "deadlineTimer");

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => MoveToNowAsync(host, Demo(timer, project.Code, TenderVariables.BidDeadline)));

        Assert.Equal(DemoDates.DemoOnly, refused.RuleCode);
        Assert.Equal(At(11, 24, 9, 30), (await host.Tenders.FindAsync(project.Id))!.BidDeadline);
        Assert.Empty(await TrailAsync(host, "engineering-construction.tender.demo-deadline-now"));
    }

    [Fact]
    public void DateVariable_IsTheTimersOneVariableReference_OrNothing()
    {
        Assert.Equal("publicityEndsAt", DemoTimer.VariableOf("${publicityEndsAt}"));
        Assert.Equal("bidDeadline", DemoTimer.VariableOf(" ${ bidDeadline } "));
        Assert.Null(DemoTimer.VariableOf("P3CD/EOD"));
        Assert.Null(DemoTimer.VariableOf("${a}${b}"));
        Assert.Null(DemoTimer.VariableOf(null));
    }

    private static TimerInfo PublicityTimer(IReadOnlyList<TimerInfo> timers) => Assert.Single(timers, t => t.ElementId == "aw_publicityEnds");

    private static DemoTimer Demo(TimerInfo timer, string code, string variable) =>
        new(timer.InstanceId!.Value, code, timer.ProcessId, timer.ElementId, variable, timer.Due);

    /// <summary>What the instance viewer does before it fires the timer: every part's demo date.</summary>
    private static async Task<bool> MoveToNowAsync(TenderHost host, DemoTimer timer)
    {
        var moved = false;
        foreach (var date in host.Services.GetServices<IDemoTimerDate>())
        {
            moved |= await date.MoveToNowAsync(timer, "staff");
        }

        return moved;
    }

    /// <summary>Documents and dates set, the notice published: the sale starts on 4 Nov, the deadline is 24 Nov 09:30.</summary>
    private static async Task<(Domain.Projects.Project Project, Guid InstanceId)> ScheduledAsync(TenderHost host, int sequence, Guid centre)
    {
        var (project, instanceId) = await host.StartProjectAsync(sequence, centreId: centre);
        var document = await host.UploadAsync(project.Id, "招标文件.pdf");
        var boq = await host.UploadAsync(project.Id, "工程量清单.pdf");
        await host.Tenders.ScheduleAsync(project.Id, new TenderSchedule([document], boq, At(11, 4), At(11, 9, 17), At(11, 24, 9, 30)), TenderHost.Tenderee);
        await host.PublishNoticeAsync(project);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        return (project, instanceId);
    }

    private static async Task<List<AuditEntry>> TrailAsync(TenderHost host, string action)
    {
        await using var db = host.Database.Database.Create();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == action).ToListAsync();
    }
}
