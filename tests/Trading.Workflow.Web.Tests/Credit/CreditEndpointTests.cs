using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Credit;

/// <summary>GET /api/portal/credit on the real app: the published sanctions to anyone, nothing internal.</summary>
public sealed class CreditEndpointTests
{
    [Fact]
    public async Task PublishedSanctions_AreJsonForAnonymousCallers_WithoutTheReasonOrUserNames()
    {
        await using var factory = new PlatformFactory();
        using var client = factory.CreateClient();
        var market = factory.Services.GetRequiredService<MarketEntityService>();
        var credit = factory.Services.GetRequiredService<CreditService>();
        const string first17 = "91350100M000100Y4";
        var code = first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
        var entity = await market.RegisterAsync(EntityKind.Organisation, EntityProfile.Create(EntityKind.Organisation, "接口测试建设有限公司", code, "张三",
            "福州市鼓楼区测试路1号", "350102", new BankAccount("测试银行", "接口测试建设有限公司", "6222 0000 1111 2222"), [], [new Contact("李四", "13800000000", null)],
            market.Today, "350102198001010003"), new MarketActor("member-id"));
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
}
