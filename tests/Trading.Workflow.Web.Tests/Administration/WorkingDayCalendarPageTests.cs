using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Web.Components.Pages.Administration;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Administration;

/// <summary>
/// The administrator's working-day calendar: a year outside the range is refused with a message (the field used to
/// clamp 1999 to 2000 silently), and a year marked as checked against the official notice must list at least the
/// statutory holidays as days off; nothing is stored otherwise.
/// </summary>
public sealed class WorkingDayCalendarPageTests : PlatformComponentTest
{
    // As the platform sets it up (PlatformWorkflowExtensions): the year after the data is counted provisionally.
    private readonly ReloadableBusinessCalendar _calendar = new(new InMemoryHolidayCalendarSource(), TimeProvider.System) { ProvisionalFutureYears = true };

    public WorkingDayCalendarPageTests()
    {
        Services.AddSingleton(_calendar);
        Services.AddSingleton<TimeProvider>(new Clock(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero)));
        SignIn("admin", PlatformRoles.Administrator);
        RenderProviders();
    }

    private IRenderedComponent<WorkingDayCalendar> Page() => Render<WorkingDayCalendar>();

    private static void TypeYear(IRenderedComponent<WorkingDayCalendar> page, string year)
    {
        page.Find("[data-testid=calendar-new-year] input, input[data-testid=calendar-new-year]").Change(year);
        page.Find("[data-testid=calendar-add-year]").Click();
    }

    [Theory]
    [InlineData("zh-CN", "1999", "请输入 2000 至 2199 之间的年份。")]
    [InlineData("zh-CN", "2200", "请输入 2000 至 2199 之间的年份。")]
    [InlineData("en", "1999", "Enter a year from 2000 to 2199.")]
    public void YearOutsideTheRange_IsRefusedWithAMessage_AndNoYearOpens(string culture, string typed, string message)
    {
        Culture(culture);
        var page = Page();
        TypeYear(page, typed);
        Assert.Contains(message, page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=calendar-editor]"));
    }

    [Theory]
    [InlineData("zh-CN", "2030 年的法定节假日有 13 天，放假日期只列了 0 天")]
    [InlineData("en", "2030 has 13 statutory holidays but only 0 days off are listed")]
    public async Task CheckedYear_WithFewerDaysOffThanTheStatutoryHolidays_IsNotSaved_UncheckedItIs(string culture, string message)
    {
        Culture(culture);
        var page = Page();
        TypeYear(page, "2030");
        Assert.NotNull(page.Find("[data-testid=calendar-editor]"));

        page.Find("input[data-testid=calendar-verified], [data-testid=calendar-verified] input").Change(true);
        await page.Find("[data-testid=calendar-save]").ClickAsync(new());
        Assert.Contains(message, page.Find("[data-testid=calendar-save-error]").TextContent, StringComparison.Ordinal);
        Assert.Null(_calendar.Current.Data.Find(2030));

        page.Find("input[data-testid=calendar-verified], [data-testid=calendar-verified] input").Change(false);
        await page.Find("[data-testid=calendar-save]").ClickAsync(new());
        Assert.Empty(page.FindAll("[data-testid=calendar-save-error]"));
        var saved = _calendar.Current.Data.Find(2030);
        Assert.NotNull(saved);
        Assert.False(saved.Verified);
    }

    // The platform counts the year after the data provisionally; the warning said such deadlines "cannot be computed".
    [Theory]
    [InlineData("zh-CN", "2027 年的安排公布前，该年的工作日期限按法定节假日暂计（不含调休）", "无法计算")]
    [InlineData("en", "working-day deadlines in 2027 are counted provisionally", "cannot be computed")]
    public void EndingData_WithProvisionalYears_SaysTheNextYearIsCountedProvisionally(string culture, string says, string notSaid)
    {
        Culture(culture);

        var warning = Page().Find("[data-testid=calendar-warning]").TextContent;

        Assert.Contains(says, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(notSaid, warning, StringComparison.Ordinal);
        Assert.Contains("2026-12-31", warning, StringComparison.Ordinal);
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Theory]
    [InlineData(2007, 10)]
    [InlineData(2008, 11)]
    [InlineData(2024, 11)]
    [InlineData(2025, 13)]
    public void StatutoryDaysOff_FollowTheHolidayRegulations(int year, int days) => Assert.Equal(days, HolidayYearData.StatutoryDaysOff(year));
}
