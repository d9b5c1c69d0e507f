using System.Reflection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Warnings;

/// <summary>
/// The list paged in the database: newest found first, pages that neither overlap nor skip, the total of what the
/// viewer sees, filters by state, kind, centre, project text and China days, and staff of one centre never seeing
/// another centre's rows on any page. Rows are stored as a computation stores them (its own factory), many at once.
/// </summary>
public sealed class WarningPagingTests
{
    private static readonly MethodInfo Found = typeof(CollusionWarning).GetMethod("Found", BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Page_NewestFirst_WithoutOverlapOrGap_AndStaffSeeOnlyTheirCentreOnEveryPage(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        var city = host.Bids.Projects.City.Id;
        var other = host.Bids.Projects.OtherCity.Id;
        // 7 in the city and 5 in the other city, interleaved in time.
        var stored = new List<CollusionWarning>();
        for (var i = 0; i < 12; i++)
        {
            var centre = i % 2 == 0 || i >= 10 ? city : other;
            stored.Add(Warning(centre, $"P-{i:D2}", $"项目{i}", WarningKind.SamePayerAccount, $"62220000{i:D8}", T0.AddMinutes(i)));
        }

        await StoreAsync(host, stored);
        var newestFirst = stored.OrderByDescending(w => w.FirstComputedAt).Select(w => w.Id).ToList();

        var all = new List<Guid>();
        for (var skip = 0; skip < 12; skip += 5)
        {
            var page = await host.Warnings.PageAsync(host.Supervisor, null, skip, 5);
            Assert.Equal(12, page.Total);
            Assert.Equal(Math.Min(5, 12 - skip), page.Rows.Count);
            all.AddRange(page.Rows.Select(w => w.Id));
        }

        Assert.Equal(newestFirst, all);

        var otherStaff = new WarningViewer("staff2", [PlatformRoles.Staff], other);
        foreach (var (viewer, centre, total) in new[] { (host.CityStaff, city, 7), (otherStaff, other, 5) })
        {
            var seen = new List<Guid>();
            for (var skip = 0; skip < total + 3; skip += 3)
            {
                var page = await host.Warnings.PageAsync(viewer, null, skip, 3);
                Assert.Equal(total, page.Total);
                Assert.All(page.Rows, w => Assert.Equal(centre, w.CentreId));
                seen.AddRange(page.Rows.Select(w => w.Id));
            }

            Assert.Equal(stored.Where(w => w.CentreId == centre).OrderByDescending(w => w.FirstComputedAt).Select(w => w.Id), seen);
        }

        // A centre filter never widens what the viewer sees.
        Assert.Equal(0, (await host.Warnings.PageAsync(host.CityStaff, new WarningFilter(Centre: other), 0, 20)).Total);
        Assert.Equal(5, (await host.Warnings.PageAsync(host.Supervisor, new WarningFilter(Centre: other), 0, 20)).Total);
        var citySupervisor = new WarningViewer("supervisor-city", [PlatformRoles.Supervisor], city);
        Assert.Equal(7, (await host.Warnings.PageAsync(citySupervisor, null, 0, 20)).Total);
        Assert.Equal([host.Bids.Projects.City.Id], (await host.Warnings.CentresAsync(host.CityStaff)).Select(c => c.Id));
        Assert.DoesNotContain(other, (await host.Warnings.CentresAsync(citySupervisor)).Select(c => c.Id));
        Assert.Contains(other, (await host.Warnings.CentresAsync(host.Supervisor)).Select(c => c.Id));
        await Assert.ThrowsAsync<ProjectAccessDeniedException>(() => host.Warnings.PageAsync(new WarningViewer("bidder", [PlatformRoles.Bidder], city), null, 0, 20));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Page_FiltersByStateKindCentreProjectTextAndChinaDays(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        var city = host.Bids.Projects.City.Id;
        var other = host.Bids.Projects.OtherCity.Id;
        // 23:30 and 00:30 in China: one on 12-01, one on 12-02.
        var lateFirst = Warning(city, "GC-2026-001", "第一中学教学楼", WarningKind.SamePayerAccount, "A", new DateTimeOffset(2026, 12, 1, 15, 30, 0, TimeSpan.Zero));
        var earlySecond = Warning(city, "GC-2026-002", "人民医院门诊楼", WarningKind.SameContactPhone, "B", new DateTimeOffset(2026, 12, 1, 16, 30, 0, TimeSpan.Zero));
        var elsewhere = Warning(other, "GC-2026-003", "第二中学操场", WarningKind.SameContactPhone, "C", new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero));
        await StoreAsync(host, [lateFirst, earlySecond, elsewhere]);
        await host.Warnings.ReviewAsync(host.Supervisor, elsewhere.Id, elsewhere.Version, false, "同一代理机构登记的电话，已核实无关联");

        async Task<IEnumerable<Guid>> Ids(WarningFilter filter) => (await host.Warnings.PageAsync(host.Supervisor, filter, 0, 20)).Rows.Select(w => w.Id);

        Assert.Equal([elsewhere.Id], await Ids(new WarningFilter(State: WarningState.Dismissed)));
        Assert.Equal([earlySecond.Id, lateFirst.Id], await Ids(new WarningFilter(State: WarningState.Open)));
        Assert.Equal([elsewhere.Id, earlySecond.Id], await Ids(new WarningFilter(Kind: WarningKind.SameContactPhone)));
        Assert.Equal([earlySecond.Id, lateFirst.Id], await Ids(new WarningFilter(Centre: city)));
        Assert.Equal([lateFirst.Id], await Ids(new WarningFilter(Project: "2026-001")));
        Assert.Equal([elsewhere.Id, lateFirst.Id], await Ids(new WarningFilter(Project: "中学")));
        Assert.Equal([earlySecond.Id], await Ids(new WarningFilter(From: new DateOnly(2026, 12, 2), To: new DateOnly(2026, 12, 2))));
        Assert.Equal([lateFirst.Id], await Ids(new WarningFilter(To: new DateOnly(2026, 12, 1))));
        Assert.Equal([elsewhere.Id], await Ids(new WarningFilter(From: new DateOnly(2026, 12, 3))));
        Assert.Empty(await Ids(new WarningFilter(Kind: WarningKind.SameContactPhone, Centre: city, From: new DateOnly(2026, 12, 3))));
    }

    private static CollusionWarning Warning(Guid centre, string code, string name, WarningKind kind, string value, DateTimeOffset at)
    {
        var section = new WarningSection(Guid.NewGuid(), Guid.NewGuid(), centre, code, name, code + "-01");
        var evidence = new WarningEvidence(value, null, [new WarningLine(Guid.NewGuid(), "甲公司", value), new WarningLine(Guid.NewGuid(), "乙公司", value)]);
        return (CollusionWarning)Found.Invoke(null, [section, kind, evidence, at])!;
    }

    private static async Task StoreAsync(WarningsHost host, IEnumerable<CollusionWarning> warnings)
    {
        await using var db = host.Bids.Projects.Database.Database.Create();
        db.AddRange(warnings);
        await db.SaveChangesAsync();
    }
}
