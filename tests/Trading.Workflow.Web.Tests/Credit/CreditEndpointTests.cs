using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Web.Credit;
using Trading.Workflow.Web.Tests.Exports;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Credit;

/// <summary>
/// GET /api/portal/credit on the real app: the published sanctions to anyone, nothing internal; the supervisors' export
/// of the records with the list's filters, to supervisors only.
/// </summary>
public sealed class CreditEndpointTests
{
    [Fact]
    public async Task PublishedSanctions_AreJsonForAnonymousCallers_WithoutTheReasonOrUserNames()
    {
        await using var factory = new PlatformFactory();
        using var client = factory.CreateClient();
        var credit = factory.Services.GetRequiredService<CreditService>();
        var (entity, code) = await RegisterAsync(factory, "接口测试建设有限公司", "91350100M000100Y4");
        await credit.RecordAsync(new CreditViewer("supervisor1", "supervisor1-id", [PlatformRoles.Supervisor], null), new CreditRecordInput(
            CreditSubjectKind.MarketEntity, entity.Id, CreditRecordKind.Sanction, CreditCategory.Fraud, "条例第六十八条", "接口罚〔2026〕7号", "内部事由不公开",
            credit.Today, true, credit.Today, credit.Today.AddYears(1)));

        var response = await client.GetAsync(new Uri("/api/portal/credit", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Contains("接口罚〔2026〕7号", json, StringComparison.Ordinal);
        Assert.Contains(code, json, StringComparison.Ordinal);
        // Kinds by name, not by the enum's number.
        Assert.Contains("\"category\":\"Fraud\"", json, StringComparison.Ordinal);
        Assert.Contains("\"subjectKind\":\"MarketEntity\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("内部事由", json, StringComparison.Ordinal);
        Assert.DoesNotContain("supervisor1", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoData_PublishesOneSanctionInForce_OnACompanyOfNoDemoProject()
    {
        await using var factory = new PlatformFactory();
        using var client = factory.CreateClient();

        var json = await client.GetStringAsync(new Uri("/api/portal/credit", UriKind.Relative));

        Assert.Contains(CreditDemoData.DecisionNumber, json, StringComparison.Ordinal);
        Assert.Contains(CreditDemoData.CompanyCode, json, StringComparison.Ordinal);
        await using var db = factory.Services.GetRequiredService<ITradingDatabase>().Create();
        var entity = await db.Set<MarketEntity>().SingleAsync(e => e.Identifier == CreditDemoData.CompanyCode);
        Assert.False(await db.Set<Participation>().AnyAsync(p => p.EntityId == entity.Id));
        Assert.Single(await factory.Services.GetRequiredService<CreditService>().SanctionsInForceAsync([entity.Id]));
    }

    [Fact]
    public async Task Export_GivesSupervisorsTheFilteredRecordsTyped_AndNobodyElse()
    {
        await using var factory = new PlatformFactory();
        var credit = factory.Services.GetRequiredService<CreditService>();
        var (entity, code) = await RegisterAsync(factory, "导出测试建设有限公司", "91350100M000200Y4");
        var supervisor = new CreditViewer("supervisor1", "supervisor1-id", [PlatformRoles.Supervisor], null);
        await credit.RecordAsync(supervisor, new CreditRecordInput(
            CreditSubjectKind.MarketEntity, entity.Id, CreditRecordKind.Sanction, CreditCategory.Fraud, "条例第六十八条", "导出罚〔2026〕8号", "以他人名义投标",
            credit.Today, true, credit.Today, credit.Today.AddYears(1)));
        await credit.RecordAsync(supervisor, new CreditRecordInput(
            CreditSubjectKind.MarketEntity, entity.Id, CreditRecordKind.GoodRecord, CreditCategory.Commendation, "省级表彰", "导出表〔2026〕1号", "优质工程",
            credit.Today));

        var client = await ExportTestClient.SignedInAsync(factory, "supervisor");
        var response = await client.GetAsync(CreditExport.PathFor(new CreditFilter(Subject: "导出测试", Kind: CreditRecordKind.Sanction)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var workbook = await response.Content.ReadAsByteArrayAsync();
        var rows = ExportTestClient.Rows(workbook, "信用记录");
        Assert.Equal(["对象", "统一社会信用代码", "对象类型", "类型"], new[] { rows[0]["A"], rows[0]["B"], rows[0]["C"], rows[0]["D"] });
        var row = Assert.Single(rows.Skip(1));
        Assert.Equal(("导出测试建设有限公司", code, "导出罚〔2026〕8号", "以他人名义投标"), ((string)row["A"], (string)row["B"], (string)row["F"], (string)row["K"]));
        Assert.Equal(credit.Today.AddYears(1).ToDateTime(TimeOnly.MinValue), Assert.IsType<DateTime>(row["J"]));
        Assert.Equal("有效", row["N"]);
        var about = ExportTestClient.Rows(workbook, "导出说明").ToDictionary(r => (string)r["A"], r => r["B"]);
        Assert.Equal("导出测试", about["主体名称、信用代码或文号"]);
        Assert.Equal(1, Convert.ToInt32(about["导出行数"], System.Globalization.CultureInfo.InvariantCulture));

        // Without the kind both records; in English the headers are English.
        var english = await ExportTestClient.SignedInAsync(factory, "supervisor", "en");
        var both = ExportTestClient.Rows(await (await english.GetAsync(CreditExport.PathFor(new CreditFilter(Subject: code)))).Content.ReadAsByteArrayAsync(), "Credit records");
        Assert.Equal("Subject", both[0]["A"]);
        Assert.Equal(2, both.Count - 1);

        foreach (var user in new[] { "staff", "bidder", "admin" })
        {
            ExportTestClient.AssertAccessDenied(await (await ExportTestClient.SignedInAsync(factory, user)).GetAsync(CreditExport.Path));
        }
    }

    private static async Task<(MarketEntity Entity, string Code)> RegisterAsync(PlatformFactory factory, string name, string first17)
    {
        var market = factory.Services.GetRequiredService<MarketEntityService>();
        var code = first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
        var entity = await market.RegisterAsync(EntityKind.Organisation, EntityProfile.Create(EntityKind.Organisation, name, code, "张三",
            "福州市鼓楼区测试路1号", "350102", new BankAccount("测试银行", name, "6222 0000 1111 2222"), [], [new Contact("李四", "13800000000", null)],
            market.Today, "350102198001010003"), new MarketActor("member-id"));
        return (entity, code);
    }
}
