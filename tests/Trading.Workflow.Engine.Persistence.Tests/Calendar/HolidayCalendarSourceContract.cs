using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Persistence.Calendar;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Tests.Support;

namespace Trading.Workflow.Engine.Persistence.Tests.Calendar;

/// <summary>The durable holiday calendar source.</summary>
public abstract class HolidayCalendarSourceContract
{
    protected abstract DatabaseProvider Provider { get; }

    private static IHolidayCalendarSource Source(DurableHost host) =>
        (IHolidayCalendarSource)host.Services.GetService(typeof(IHolidayCalendarSource))!;

    private static ReloadableBusinessCalendar Calendar(DurableHost host) => host.Services.GetRequiredService<ReloadableBusinessCalendar>();

    private static HolidayYearData Year(int year) => new(year, [new DateOnly(year, 1, 1)], [], "test notice", Verified: true);

    private static readonly DateOnly Monday = new(2026, 1, 5);

    [Fact]
    public async Task SaveYear_OnANodeServingAnOlderCopy_KeepsTheYearAnotherNodeSaved()
    {
        await using var a = await DurableHost.StartAsync(Provider);
        await using var b = DurableHost.StartBeside(a);
        Assert.True(Calendar(b).IsWorkingDay(Monday)); // b now serves the calendar from memory

        await Calendar(a).SaveYearAsync(Year(2040), "管理员甲");
        await Calendar(b).SaveYearAsync(Year(2041), "管理员乙");

        var stored = await Source(a).LoadAsync();
        Assert.Equal("管理员甲", stored.Find(2040)?.LastEditedBy);
        Assert.Equal("管理员乙", stored.Find(2041)?.LastEditedBy);
        Assert.False(Calendar(b).IsWorkingDay(new DateOnly(2040, 1, 1)));

        await Calendar(b).DeleteYearAsync(2041);
        Assert.NotNull((await Source(a).LoadAsync()).Find(2040));
    }

    [Fact]
    public async Task Update_ManyAtOnceOnTwoNodes_LosesNone()
    {
        await using var a = await DurableHost.StartAsync(Provider);
        await using var b = DurableHost.StartBeside(a);
        var years = Enumerable.Range(2040, 12).ToList();

        // The first saves race to insert the row; the later ones wait for the row's lock.
        await Task.WhenAll(years.Select(y => Task.Run(async () => await Source(y % 2 == 0 ? a : b).UpdateAsync(d => d.WithYear(Year(y))))));

        var stored = await Source(b).LoadAsync();
        Assert.All(years, y => Assert.NotNull(stored.Find(y)));
        Assert.Equal(HolidayCalendarData.Official.Years.Count + years.Count, stored.Years.Count);
    }

    [Fact]
    public async Task Update_InvalidResult_IsRefusedAndStoredDataUnchanged()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await Source(host).UpdateAsync(d => d.WithYear(Year(2040)));
        var day = new DateOnly(2041, 1, 2);

        await Assert.ThrowsAsync<HolidayCalendarValidationException>(() =>
            Source(host).UpdateAsync(d => d.WithYear(new HolidayYearData(2041, [day], [day]))).AsTask());

        var stored = await Source(host).LoadAsync();
        Assert.NotNull(stored.Find(2040));
        Assert.Null(stored.Find(2041));
    }

    [Fact]
    public async Task Refresher_BringsAnotherNodesSaveToThisNode()
    {
        await using var a = await DurableHost.StartAsync(Provider);
        await using var b = DurableHost.StartBeside(a, persistence: o => o.CalendarRefreshInterval = TimeSpan.FromMilliseconds(50));
        Assert.True(Calendar(b).IsWorkingDay(Monday));
        await Calendar(a).SaveYearAsync(Year(2040), "管理员甲");

        // Without the refresher b keeps serving its copy.
        Assert.Throws<CalendarDataMissingException>(() => Calendar(b).IsWorkingDay(new DateOnly(2040, 1, 1)));

        var refresher = b.Services.GetServices<IHostedService>().OfType<HolidayCalendarRefresher>().Single();
        await refresher.StartAsync(CancellationToken.None);
        try
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!Calendar(b).Years.Contains(2040) && waited.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(20);
            }

            Assert.False(Calendar(b).IsWorkingDay(new DateOnly(2040, 1, 1)));
        }
        finally
        {
            await refresher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Load_BeforeAnySave_ServesTheOfficialArrangements()
    {
        await using var host = await DurableHost.StartAsync(Provider);

        var data = await Source(host).LoadAsync();

        Assert.Equal(HolidayCalendarData.Official.ToJson(), data.ToJson());
    }

    [Fact]
    public async Task Save_ThenLoadFromAnotherProcess_ReturnsTheSavedCalendar()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        var edited = HolidayCalendarData.Official.WithoutYear(HolidayCalendarData.Official.Years[0].Year);

        await Source(host).SaveAsync(edited);
        await using var other = DurableHost.StartBeside(host);
        var loaded = await Source(other).LoadAsync();

        Assert.Equal(edited.ToJson(), loaded.ToJson());
    }

    [Fact]
    public async Task Save_InvalidCalendar_IsRefusedAndStoredDataUnchanged()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        var year = HolidayCalendarData.Official.Years[0];
        var day = year.DaysOff.Count > 0 ? year.DaysOff[0] : new DateOnly(year.Year, 1, 1);
        var invalid = HolidayCalendarData.Official.WithYear(new HolidayYearData(year.Year, [day], [day], year.Source, year.Verified, year.LastEditedBy, year.LastEditedAt));

        await Assert.ThrowsAsync<HolidayCalendarValidationException>(() => Source(host).SaveAsync(invalid).AsTask());

        Assert.Equal(HolidayCalendarData.Official.ToJson(), (await Source(host).LoadAsync()).ToJson());
    }
}

public sealed class SqliteHolidayCalendarSourceTests : HolidayCalendarSourceContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlHolidayCalendarSourceTests : HolidayCalendarSourceContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
