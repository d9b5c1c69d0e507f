using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Engine.Tests.Calendar;

public sealed class InMemoryHolidayCalendarSourceTests
{
    [Fact]
    public async Task LoadAsync_DefaultSource_ReturnsOfficialArrangements()
    {
        var source = new InMemoryHolidayCalendarSource();

        var data = await source.LoadAsync();

        Assert.Equal([2025, 2026], data.Years.Select(y => y.Year));
    }

    [Fact]
    public async Task SaveAsync_ValidData_IsReturnedByNextLoad()
    {
        var source = new InMemoryHolidayCalendarSource();
        var year2027 = new HolidayYearData(2027, [new DateOnly(2027, 1, 1)], [], "test", false, "admin", DateTimeOffset.UnixEpoch);

        await source.SaveAsync((await source.LoadAsync()).WithYear(year2027));
        var calendar = await BusinessCalendar.LoadAsync(source);

        Assert.Equal([2025, 2026, 2027], calendar.Years.Order());
        Assert.False(calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
    }

    [Fact]
    public async Task SaveAsync_InvalidData_ThrowsAndKeepsPreviousData()
    {
        var source = new InMemoryHolidayCalendarSource();
        var bad = new HolidayYearData(2027, [new DateOnly(2026, 5, 1)], []);

        await Assert.ThrowsAsync<HolidayCalendarValidationException>(async () => await source.SaveAsync(HolidayCalendarData.Official.WithYear(bad)));

        Assert.Same(HolidayCalendarData.Official, await source.LoadAsync());
    }

    [Fact]
    public void Constructor_InvalidInitialData_Throws()
    {
        var day = new DateOnly(2026, 2, 14);
        var bad = new HolidayCalendarData([new HolidayYearData(2026, [day], [day])]);

        Assert.Throws<HolidayCalendarValidationException>(() => new InMemoryHolidayCalendarSource(bad));
    }

    [Fact]
    public async Task UpdateAsync_ManyAtOnce_LosesNone()
    {
        var source = new InMemoryHolidayCalendarSource();
        var years = Enumerable.Range(2030, 16).ToList();

        await Task.WhenAll(years.Select(y => Task.Run(async () =>
            await source.UpdateAsync(d => d.WithYear(new HolidayYearData(y, [new DateOnly(y, 1, 1)], [], "test", false))))));

        Assert.Equal([2025, 2026, .. years], (await source.LoadAsync()).Years.Select(y => y.Year).Order());
    }

    [Fact]
    public async Task UpdateAsync_InvalidResult_ThrowsAndKeepsPreviousData()
    {
        var source = new InMemoryHolidayCalendarSource();
        var bad = new HolidayYearData(2027, [new DateOnly(2026, 5, 1)], []);

        await Assert.ThrowsAsync<HolidayCalendarValidationException>(async () => await source.UpdateAsync(d => d.WithYear(bad)));

        Assert.Same(HolidayCalendarData.Official, await source.LoadAsync());
    }
}
