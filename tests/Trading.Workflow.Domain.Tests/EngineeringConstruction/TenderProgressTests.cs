using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// How far an opened tender went after its opening (<see cref="TenderService.ProgressAsync"/>): its own stage stays
/// Opened, so the award (candidates published, awarded, contracts signed) and the archive say it.
/// </summary>
public sealed class TenderProgressTests
{
    private static readonly IBusinessCalendar Calendar = BusinessCalendar.Official;

    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    /// <summary>A tender scheduled on 12 Oct, on sale from 14 Oct, opened at its deadline of 3 Nov.</summary>
    private static Tender Opened(string code, Guid centreId, Guid ownerId)
    {
        var tender = Tender.Create(Guid.NewGuid(), code, "演示市政道路改造工程（演示数据）", centreId, ownerId, null, TenderKind.Open, At(10, 12));
        tender.Schedule(new TenderSchedule([Guid.NewGuid()], null, At(10, 14), At(10, 19, 17), At(11, 3, 9, 30)), TenderLimits.Statutory, Calendar, "tenderee", At(10, 12));
        tender.OpenSale(At(10, 14), TenderLimits.Statutory, Calendar);
        tender.CloseSale(At(10, 19, 17));
        tender.ReachDeadline(3, TenderLimits.Statutory, At(11, 3, 9, 30));
        tender.MarkOpened(At(11, 3, 10));
        return tender;
    }

    /// <summary>The candidates of <paramref name="tender"/> published on 5 Nov (one section, three ranked bidders).</summary>
    private static TenderAward Published(Tender tender)
    {
        var section = Guid.NewGuid();
        var bidders = new[] { (Guid.NewGuid(), "演示建设工程有限公司"), (Guid.NewGuid(), "演示第二建筑有限公司"), (Guid.NewGuid(), "演示第三建筑有限公司") };
        return TenderAward.Publish(tender, "演示市城市建设投资有限公司", true, Guid.NewGuid(), At(11, 5), "三家投标人均通过资格评审。",
            [.. bidders.Select((b, i) => new AwardCandidate(section, "BD01", i + 1, b.Item1, b.Item2, 4_200_000m + (i * 100_000m), 90m - i, 300))],
            [.. bidders.Select((b, i) => new AwardBidder(section, b.Item1, b.Item2, 4_200_000m + (i * 100_000m), false))],
            At(11, 5), AwardLimits.Statutory, Calendar);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Progress_OfAnOpenedTender_FollowsItsAward_ThenItsArchive(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var centre = Guid.NewGuid();
        var tender = Opened("530100-GC-2026-00301", centre, host.Owner.Id);
        var opened = Opened("530100-GC-2026-00302", centre, host.Owner.Id);
        var preparing = Tender.Create(Guid.NewGuid(), "530100-GC-2026-00303", "演示（演示数据）", centre, host.Owner.Id, null, TenderKind.Open, At(11, 2));
        var award = Published(tender);
        await using (var db = host.Database.Database.Create())
        {
            // An award row beside a tender not opened says nothing about it.
            db.AddRange(tender, opened, preparing, award, Published(preparing));
            await db.SaveChangesAsync();
        }

        async Task<IReadOnlyDictionary<Guid, TenderProgress>> ProgressAsync() => await host.Tenders.ProgressAsync([tender, opened, preparing]);

        Assert.Equal([KeyValuePair.Create(tender.ProjectId, TenderProgress.CandidatesPublished)], await ProgressAsync());

        await ChangeAsync(host, tender.ProjectId, a =>
        {
            a.Award([new AwardChoice(a.Candidates[0].SectionId, a.Candidates[0].EntityId, null)], 0, "tenderee", a.PublicityEndsAt, AwardLimits.Statutory, Calendar);
        });
        Assert.Equal(TenderProgress.Awarded, (await ProgressAsync())[tender.ProjectId]);

        await ChangeAsync(host, tender.ProjectId, a => a.MarkContractsSigned(At(12, 10), At(12, 10)));
        Assert.Equal(TenderProgress.ContractsSigned, (await ProgressAsync())[tender.ProjectId]);

        await using (var db = host.Database.Database.Create())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO tr_archive_projects (project_id, centre_id, project_code, archived_at, archived_by, package_document_id, package_sm3, manifest_sm3, entries) "
                + "VALUES ({0}, {1}, {2}, {3}, 'system:procedure', {4}, 'x', 'y', 1)",
                provider == DatabaseProvider.Sqlite ? tender.ProjectId.ToString().ToUpperInvariant() : tender.ProjectId,
                provider == DatabaseProvider.Sqlite ? centre.ToString().ToUpperInvariant() : centre,
                tender.ProjectCode, At(12, 20).UtcTicks,
                provider == DatabaseProvider.Sqlite ? Guid.NewGuid().ToString().ToUpperInvariant() : Guid.NewGuid());
        }

        Assert.Equal([KeyValuePair.Create(tender.ProjectId, TenderProgress.Archived)], await ProgressAsync());
    }

    private static async Task ChangeAsync(TenderHost host, Guid projectId, Action<TenderAward> change)
    {
        await using var db = host.Database.Database.Create();
        change(await db.Set<TenderAward>().FirstAsync(a => a.ProjectId == projectId));
        await db.SaveChangesAsync();
    }
}
