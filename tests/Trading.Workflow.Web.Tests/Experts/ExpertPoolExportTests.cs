using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Web.Experts;
using Trading.Workflow.Web.Tests.Exports;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Experts;

/// <summary>GET /experts/export.xlsx on the real app with the demo pool: the pool as /experts filters it, to the roles of that page only.</summary>
public sealed class ExpertPoolExportTests
{
    [Fact]
    public async Task Export_GivesThePoolAsTheListFiltersIt_ToStaffAndSupervisors_AndNobodyElse()
    {
        await using var factory = new PlatformFactory();
        var staff = await ExportTestClient.SignedInAsync(factory, "staff");

        var response = await staff.GetAsync(ExpertPoolExport.PathFor(new ExpertQuery(Status: ExpertStatus.Suspended)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var workbook = await response.Content.ReadAsByteArrayAsync();
        var rows = ExportTestClient.Rows(workbook, "评标专家");
        Assert.Equal(["姓名", "账号", "职称"], new[] { rows[0]["A"], rows[0]["B"], rows[0]["C"] });
        var suspended = Assert.Single(rows.Skip(1));
        Assert.Equal(("韩永刚（演示数据）", "expert11", "暂停"), ((string)suspended["A"], (string)suspended["B"], (string)suspended["H"]));
        Assert.StartsWith("年度考核不合格", (string)suspended["I"], StringComparison.Ordinal);
        Assert.IsType<DateTime>(suspended["J"]);
        var about = ExportTestClient.Rows(workbook, "导出说明").ToDictionary(r => (string)r["A"], r => r["B"]);
        Assert.Equal("暂停", about["状态"]);

        // Unfiltered, the supervisor gets every expert the pool lists, headers in the reader's language.
        var pool = factory.Services.GetRequiredService<ExpertPoolService>();
        var all = await pool.ListAsync(new ExpertQuery(), new ExpertsActor("supervisor", "supervisor-id", [PlatformRoles.Supervisor], null));
        var english = await ExportTestClient.SignedInAsync(factory, "supervisor", "en");
        var everyone = ExportTestClient.Rows(await (await english.GetAsync(ExpertPoolExport.Path)).Content.ReadAsByteArrayAsync(), "Experts");
        Assert.Equal("Name", everyone[0]["A"]);
        Assert.Equal(all.Select(e => e.UserName).Order(), everyone.Skip(1).Select(r => (string)r["B"]).Order());
        Assert.True(all.Count > 1);

        foreach (var user in new[] { "bidder", "tenderee", "expert" })
        {
            ExportTestClient.AssertAccessDenied(await (await ExportTestClient.SignedInAsync(factory, user)).GetAsync(ExpertPoolExport.Path));
        }
    }
}
