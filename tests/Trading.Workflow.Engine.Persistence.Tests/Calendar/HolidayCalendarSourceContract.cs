using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Tests.Support;

namespace Trading.Workflow.Engine.Persistence.Tests.Calendar;

/// <summary>The durable holiday calendar source.</summary>
public abstract class HolidayCalendarSourceContract
{
    protected abstract DatabaseProvider Provider { get; }

    private static IHolidayCalendarSource Source(DurableHost host) =>
        (IHolidayCalendarSource)host.Services.GetService(typeof(IHolidayCalendarSource))!;

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
