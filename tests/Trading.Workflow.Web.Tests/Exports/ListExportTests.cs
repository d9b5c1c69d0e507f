using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Web.Exports;
using Trading.Workflow.Web.Projects;
using Trading.Workflow.Web.Trail;
using Trading.Workflow.Web.Warnings;
using Trading.Workflow.Web.Tests.Hardening;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Exports;

/// <summary>
/// The project list's and the trail's spreadsheets on the real app with its demo data: the list's filters and scope, the
/// columns in the user's language, the sheet that says what was exported; refused to roles the page refuses.
/// </summary>
public sealed class ListExportTests(HardeningAppFixture fixture) : IClassFixture<HardeningAppFixture>
{
    private Task<HttpClient> SignedInAsync(string user, string? culture = null) => ExportTestClient.SignedInAsync(fixture.Factory, user, culture);

    private static List<IDictionary<string, object>> Rows(byte[] workbook, string sheet) => ExportTestClient.Rows(workbook, sheet);

    private async Task<Project> DemoProjectAsync()
    {
        await using var db = fixture.Factory.Services.GetRequiredService<ITradingDatabase>().Create();
        return await db.Set<Project>().AsNoTracking().OrderBy(p => p.Code).FirstAsync(p => p.Name == ProjectsDemoData.DemoProjectName);
    }

    [Fact]
    public async Task Staff_ExportTheProjectList_WithItsFilters_AndTheirScope()
    {
        var demo = await DemoProjectAsync();
        var staff = await SignedInAsync("staff");

        var response = await staff.GetAsync(ProjectExport.PathFor("DEMO-CITY", null, ProjectState.Submitted));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Spreadsheet.ContentType, response.Content.Headers.ContentType?.MediaType);
        var workbook = await response.Content.ReadAsByteArrayAsync();
        var rows = Rows(workbook, "交易项目");
        Assert.Equal(["项目编号", "项目名称", "交易类型", "交易方式", "招标人/采购人/出让人", "估算价/预算（元）", "状态", "登记时间"], rows[0].Values.Select(v => v?.ToString()));
        var row = Assert.Single(rows.Skip(1), r => (string)r["A"] == demo.Code);
        Assert.Equal("工程建设项目招标投标", row["C"]);
        Assert.Equal((double)demo.EstimatedPrice, Assert.IsType<double>(row["F"]), 2);
        Assert.IsType<DateTime>(row["H"]);
        Assert.All(rows.Skip(1), r => Assert.Contains("DEMO-CITY", (string)r["A"], StringComparison.Ordinal));
        var about = Rows(workbook, "导出说明").ToDictionary(r => (string)r["A"], r => r["B"]);
        Assert.Equal("staff", about["导出人"]);
        Assert.Equal("DEMO-CITY", about["项目编号或名称"]);
        Assert.Equal((double)(rows.Count - 1), Assert.IsType<double>(about["导出行数"]));

        // The county centre's staff do not see the city's projects, in the export as on the page.
        var county = await SignedInAsync("staff2");
        var theirs = Rows(await (await county.GetAsync(ProjectExport.Path)).Content.ReadAsByteArrayAsync(), "交易项目");
        Assert.DoesNotContain(theirs.Skip(1), r => (string)r["A"] == demo.Code);
    }

    [Fact]
    public async Task Supervisor_ExportsAProjectsTrail_EveryRecordWithItsHashes_InEnglish()
    {
        var demo = await DemoProjectAsync();
        var supervisor = await SignedInAsync("supervisor", "en");

        var response = await supervisor.GetAsync(TrailExport.PathFor(demo.Code, null, null, null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"trail-{demo.Code}-", response.Content.Headers.ContentDisposition?.FileNameStar);
        var rows = Rows(await response.Content.ReadAsByteArrayAsync(), "Trail records");
        Assert.Equal("No.", rows[0]["A"]);
        await using var db = fixture.Factory.Services.GetRequiredService<ITradingDatabase>().Create();
        var expected = await db.Set<AuditProject>().Where(p => p.ProjectId == demo.Id).Select(p => p.Sequence).OrderByDescending(s => s).ToListAsync();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, rows.Skip(1).Select(r => (long)Assert.IsType<double>(r["A"])));
        var first = await db.Set<AuditEntry>().AsNoTracking().SingleAsync(e => e.Sequence == expected[0]);
        var written = rows[1];
        Assert.Equal(first.Action, written["D"]);
        Assert.Equal(first.Data, written["G"]);
        Assert.Equal(Convert.ToHexStringLower(first.PreviousHash), written["H"]);
        Assert.Equal(Convert.ToHexStringLower(first.Hash), written["I"]);
    }

    [Fact]
    public async Task Supervisor_ExportsTheCollusionWarnings_WithTheListsFilter_AndTheirEvidence()
    {
        var supervisor = await SignedInAsync("supervisor");

        var response = await supervisor.GetAsync(WarningExport.PathFor(new WarningFilter(Kind: WarningKind.SameContactPhone)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var workbook = await response.Content.ReadAsByteArrayAsync();
        var rows = Rows(workbook, "围标串标预警");
        Assert.Equal("项目编号", rows[0]["A"]);
        var warning = Assert.Single(rows.Skip(1));
        Assert.Equal("联系电话相同", warning["D"]);
        Assert.Contains("演示甲联建筑工程有限公司", (string)warning["E"], StringComparison.Ordinal);
        Assert.StartsWith("联系电话：", (string)warning["F"], StringComparison.Ordinal);
        Assert.Equal("待审核", warning["G"]);
        Assert.IsType<DateTime>(warning["H"]);
        var about = Rows(workbook, "导出说明").ToDictionary(r => (string)r["A"], r => r["B"]);
        Assert.Equal("联系电话相同", about["类型"]);

        // Without the filter both demo warnings are there.
        var all = Rows(await (await supervisor.GetAsync(WarningExport.Path)).Content.ReadAsByteArrayAsync(), "围标串标预警");
        Assert.Equal(2, all.Skip(1).Count(r => ((string)r["A"]).StartsWith("DEMO-CITY", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(ProjectExport.Path, "bidder")]
    [InlineData(ProjectExport.Path, "expert")]
    [InlineData(TrailExport.Path, "staff")]
    [InlineData(TrailExport.Path, "bidder")]
    [InlineData(WarningExport.Path, "bidder")]
    [InlineData(WarningExport.Path, "tenderee")]
    public async Task AList_IsNotExportedToRolesItsPageRefuses(string path, string user)
    {
        var client = await SignedInAsync(user);

        ExportTestClient.AssertAccessDenied(await client.GetAsync(path));
    }

    [Fact]
    public async Task ALongList_IsCutAtTheCap_AndTheExportSaysSo()
    {
        var pages = 0;
        var (rows, total) = await Exporting.CollectAsync<int>((skip, take) =>
        {
            pages++;
            return Task.FromResult<(IReadOnlyList<int>, int)>(([.. Enumerable.Range(skip, Math.Min(take, 25_000 - skip))], 25_000));
        }, max: 450);

        Assert.Equal(450, rows.Count);
        Assert.Equal(25_000, total);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 450), rows);
    }
}
