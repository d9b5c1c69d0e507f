using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Web.Tests.Inbox;

namespace Trading.Workflow.Web.Tests.Market;

/// <summary>A market entity's certificate scans are registry documents: one verified download, recorded, for its users and staff only.</summary>
public sealed class MarketScanEndpointTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    [Fact]
    public async Task ScanLink_GoesToTheVerifiedDocumentDownload_ForTheEntitysUserAndStaff_NotForAnotherEntitysUser()
    {
        var services = factory.App.Services;
        var account = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("bidder"))!;
        var entityId = (await services.GetRequiredService<IEntityMembership>().EntitiesOfAsync(account.AccountId))[0].EntityId;
        var market = services.GetRequiredService<MarketEntityService>();
        var scan = MarketEntityService.ScansOf(await market.GetAsync(entityId)).First();
        var bidder = await WorkflowApiClient.SignInAsync(factory.App, "bidder");
        var staff = await WorkflowApiClient.SignInAsync(factory.App, "staff");
        var buyer = await WorkflowApiClient.SignInAsync(factory.App, "buyer");

        var viaMarketLink = await bidder.Http.GetAsync($"/market/entities/{entityId}/documents/{scan.Sha256}");
        var bytes = await viaMarketLink.Content.ReadAsByteArrayAsync();
        var asStaff = await staff.Http.GetAsync($"/documents/{scan.DocumentId}/content");
        var asOtherEntity = await buyer.Http.GetAsync($"/documents/{scan.DocumentId}/content");

        Assert.NotNull(scan.DocumentId);
        Assert.Equal(HttpStatusCode.OK, viaMarketLink.StatusCode);
        Assert.Equal($"/documents/{scan.DocumentId}/content", viaMarketLink.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(scan.Sha256, viaMarketLink.Headers.GetValues("X-Content-SHA256").Single());
        Assert.Equal("%PDF"u8.ToArray(), bytes[..4]);
        Assert.Equal(HttpStatusCode.OK, asStaff.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asOtherEntity.StatusCode);
    }
}
