using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Web.Designer;

namespace Trading.Workflow.Web.Tests.Designer;

/// <summary>The dry run in the real app works on the calendar the calendar editor saves (已保存并立即生效 holds for it too).</summary>
public sealed class DryRunHostingTests(DesignerHostingTests.Fixture fixture) : IClassFixture<DesignerHostingTests.Fixture>
{
    [Fact]
    public async Task DryRun_OfTheShippedProcedure_UsesTheYearsSavedInTheCalendarEditor()
    {
        var services = fixture.Factory.Services;
        var calendar = services.GetRequiredService<ReloadableBusinessCalendar>();
        var thisYear = DateTimeOffset.UtcNow.Year;
        foreach (var year in new[] { thisYear, thisYear + 1 }.Where(y => !calendar.Years.Contains(y)))
        {
            await calendar.SaveYearAsync(new HolidayYearData(year, [new DateOnly(year, 1, 1)], []), "admin");
        }

        var xml = (await services.GetRequiredService<ProcessVersionService>().GetXmlAsync("engineering-construction.open-tender", 1))!;
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DryRunService>().RunAsync(new DryRunRequest(
            xml, "engineering-construction.open-tender", null, null, new Dictionary<string, object?>
            {
                ["projectCode"] = "DRY-001",
                ["projectName"] = "试运行项目",
                ["reviewDecision"] = "approve",
                ["bidderCount"] = 5m,
                ["objectionUpheld"] = "false",
            }));

        Assert.Equal((true, null), (result.Ended, result.ErrorEn));
    }
}
