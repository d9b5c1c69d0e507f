using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Engine.Tests.Calendar;

public sealed class ReloadableBusinessCalendarTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 1, 30, 0, TimeSpan.Zero);
    private readonly InMemoryHolidayCalendarSource _source = new();
    private readonly ReloadableBusinessCalendar _calendar;

    public ReloadableBusinessCalendarTests() => _calendar = new ReloadableBusinessCalendar(_source, new TestClock(Now));

    private static HolidayYearData Year2027() =>
        new(2027, [new DateOnly(2027, 1, 1)], [], "test notice", Verified: true);

    [Fact]
    public void IsWorkingDay_BeforeAnyReload_LoadsTheSource()
    {
        Assert.True(_calendar.IsWorkingDay(new DateOnly(2026, 1, 4)));
    }

    [Fact]
    public async Task SaveYearAsync_NewYear_IsServedAtOnceAndStored()
    {
        await _calendar.SaveYearAsync(Year2027(), "管理员");

        Assert.False(_calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.NotNull((await _source.LoadAsync()).Find(2027));
    }

    [Fact]
    public async Task SaveYearAsync_StampsEditorAndClockTimeInChinaTime()
    {
        await _calendar.SaveYearAsync(Year2027(), "管理员");

        var stored = (await _source.LoadAsync()).Find(2027)!;
        Assert.Equal("管理员", stored.LastEditedBy);
        Assert.Equal(Now, stored.LastEditedAt);
        Assert.Equal(TimeSpan.FromHours(8), stored.LastEditedAt!.Value.Offset);
    }

    [Fact]
    public async Task SaveYearAsync_InvalidYear_ThrowsAndKeepsServingTheOldData()
    {
        var day = new DateOnly(2027, 1, 2);
        var bad = new HolidayYearData(2027, [day], [day]);

        await Assert.ThrowsAsync<HolidayCalendarValidationException>(async () => await _calendar.SaveYearAsync(bad, "admin"));

        Assert.Throws<CalendarDataMissingException>(() => _calendar.IsWorkingDay(new DateOnly(2027, 1, 4)));
        Assert.Null((await _source.LoadAsync()).Find(2027));
    }

    [Fact]
    public async Task DeleteYearAsync_RemovedYear_ThrowsDataMissing()
    {
        await _calendar.DeleteYearAsync(2025);

        var ex = Assert.Throws<CalendarDataMissingException>(() => _calendar.IsWorkingDay(new DateOnly(2025, 6, 3)));
        Assert.Equal(2025, ex.Year);
    }

    [Fact]
    public async Task ReloadAsync_AfterTheSourceChangedElsewhere_ServesTheNewData()
    {
        Assert.Equal([2025, 2026], _calendar.Years.Order());
        await _source.SaveAsync(HolidayCalendarData.Official.WithYear(Year2027()));

        Assert.True(await _calendar.ReloadAsync());

        Assert.Equal([2025, 2026, 2027], _calendar.Years.Order());
        Assert.False(await _calendar.ReloadAsync());
    }

    [Fact]
    public async Task ReloadAsync_ThatReadBeforeASaveOnThisNode_LeavesTheSavedDataServed()
    {
        var source = new HeldLoads(_source);
        var calendar = new ReloadableBusinessCalendar(source, new TestClock(Now));
        Assert.Equal([2025, 2026], calendar.Years.Order());

        await _source.SaveAsync(HolidayCalendarData.Official.WithYear(Year2027())); // another node saved 2027

        source.Hold = new TaskCompletionSource();
        var reload = calendar.ReloadAsync().AsTask(); // has read 2025-2027; its answer waits
        await calendar.SaveYearAsync(new HolidayYearData(2028, [new DateOnly(2028, 1, 1)], [], "test notice", Verified: true), "管理员");
        source.Hold.SetResult();

        Assert.False(await reload);
        Assert.Equal([2025, 2026, 2027, 2028], calendar.Years.Order());
    }

    /// <summary>A source whose loads read at once and answer when <see cref="Hold"/> completes.</summary>
    private sealed class HeldLoads(IHolidayCalendarSource inner) : IHolidayCalendarSource
    {
        public TaskCompletionSource? Hold { get; set; }

        public async ValueTask<HolidayCalendarData> LoadAsync(CancellationToken cancellationToken = default)
        {
            var data = await inner.LoadAsync(cancellationToken);
            if (Hold is { } hold)
            {
                await hold.Task;
            }

            return data;
        }

        public ValueTask SaveAsync(HolidayCalendarData data, CancellationToken cancellationToken = default) => inner.SaveAsync(data, cancellationToken);

        public ValueTask<HolidayCalendarData> UpdateAsync(Func<HolidayCalendarData, HolidayCalendarData> change, CancellationToken cancellationToken = default) =>
            inner.UpdateAsync(change, cancellationToken);
    }

    [Fact]
    public async Task SaveYearAsync_AfterTheSourceChangedElsewhere_KeepsTheOtherChange()
    {
        Assert.Equal([2025, 2026], _calendar.Years.Order());
        await _source.SaveAsync(HolidayCalendarData.Official.WithYear(Year2027()));

        await _calendar.SaveYearAsync(new HolidayYearData(2028, [new DateOnly(2028, 1, 1)], [], "test notice", Verified: true), "管理员");

        Assert.Equal([2025, 2026, 2027, 2028], (await _source.LoadAsync()).Years.Select(y => y.Year).Order());
        Assert.Equal([2025, 2026, 2027, 2028], _calendar.Years.Order());
    }

    [Fact]
    public void CoverageWarning_WithoutDate_UsesTheClock()
    {
        var warning = _calendar.CoverageWarning();

        Assert.NotNull(warning);
        Assert.Equal(2027, warning.MissingYear);
        Assert.Equal(40, warning.DaysLeft);
    }

    [Fact]
    public void AddWorkingDayCalendar_RegistersOneInstanceForBothServiceTypes()
    {
        var services = new ServiceCollection().AddWorkingDayCalendar();

        Assert.Contains(services, d => d.ServiceType == typeof(IBusinessCalendar) && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Contains(services, d => d.ServiceType == typeof(ReloadableBusinessCalendar) && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Contains(services, d => d.ServiceType == typeof(IHolidayCalendarSource) && d.ImplementationType == typeof(InMemoryHolidayCalendarSource));
        Assert.Contains(services, d => d.ServiceType == typeof(TimeProvider));
    }

    [Fact]
    public void AddWorkingDayCalendar_KeepsASourceRegisteredBefore()
    {
        var durable = new InMemoryHolidayCalendarSource(HolidayCalendarData.Empty);
        var services = new ServiceCollection().AddSingleton<IHolidayCalendarSource>(durable).AddWorkingDayCalendar();

        var source = Assert.Single(services, d => d.ServiceType == typeof(IHolidayCalendarSource));
        Assert.Same(durable, source.ImplementationInstance);
    }
}
