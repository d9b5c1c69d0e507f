using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Web.Bidding;
using Trading.Workflow.Web.Deposits;
using Trading.Workflow.Web.Tests.Hardening;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Bidding;

/// <summary>
/// The bid endpoint (<c>POST /api/bidding/lots/{id}/bids</c>) on the real app: an amount that is not a number (what a
/// typed "abc" or an empty field would send) is refused at the door with 400, before any bidder check or judgement,
/// and leaves no entry in the bid log. (Numbers no valid multiple leads to are refused by the engine with their rule:
/// <see cref="BiddingRoomTests"/>.)
/// </summary>
public sealed class BiddingBidApiTests(HardeningAppFixture fixture) : IClassFixture<HardeningAppFixture>
{
    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"1.5 倍\"")]
    [InlineData("null")]
    [InlineData("[]")]
    public async Task Bid_WithAnAmountThatIsNotANumber_IsRefusedWith400_AndNothingIsLogged(string amountJson)
    {
        _ = fixture.Factory.Server;
        var section = await DepositsDemoData.DemoSectionAsync(fixture.Factory.Services.GetRequiredService<ITradingDatabase>(), CancellationToken.None);
        Assert.NotNull(section);
        var now = DateTimeOffset.UtcNow;
        var staff = fixture.Factory.CreateNoRedirectClient();
        await staff.SignInAsync("staff");
        var created = await staff.PostAsJsonAsync("/api/bidding/lots/", new CreateLotRequest(section.SectionId, "演示国有资产 D 拍卖（测试）", BiddingMode.Ascending,
            100_000m, 1_000m, [], now.AddMinutes(-1), now.AddHours(1), 0, 300, 1, null, 0, 0, null));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var lotId = await created.Content.ReadFromJsonAsync<Guid>();
        var bidder = fixture.Factory.CreateNoRedirectClient();
        await bidder.SignInAsync("bidder");

        var answer = await bidder.PostAsync($"/api/bidding/lots/{lotId}/bids",
            new StringContent($$"""{"amount":{{amountJson}},"idempotencyKey":"k1"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var log = await fixture.Factory.Services.GetRequiredService<BidLogStore>().ReadLogAsync(lotId, 0);
        Assert.DoesNotContain(log, e => e.Kind == BidLogKind.Bid);
    }
}
