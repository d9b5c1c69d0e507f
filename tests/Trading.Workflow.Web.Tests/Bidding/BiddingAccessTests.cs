using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Web.Bidding;
using Trading.Workflow.Web.Deposits;
using Trading.Workflow.Web.Tests.Hardening;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Bidding;

/// <summary>
/// Who may register, manage, watch and verify a lot, by the lot's project (issue 14 §3): staff of the project's centre
/// register and manage; staff of another centre may not; the grantor that owns the project watches, another grantor does
/// not; supervisors read everything; a bidder not admitted sees nothing. On the real app with its demo data.
/// </summary>
public sealed class BiddingAccessTests(HardeningAppFixture fixture) : IClassFixture<HardeningAppFixture>
{
    private async Task<HttpClient> AsAsync(string userName)
    {
        var client = fixture.Factory.CreateNoRedirectClient();
        await client.SignInAsync(userName);
        return client;
    }

    [Fact]
    public async Task Lot_IsRegisteredAndManagedByStaffOfItsProjectsCentre_WatchedByItsGrantorAndSupervisors_AndNobodyElse()
    {
        _ = fixture.Factory.Server;
        var section = await DepositsDemoData.DemoSectionAsync(fixture.Factory.Services.GetRequiredService<ITradingDatabase>(), CancellationToken.None);
        Assert.NotNull(section);
        var now = DateTimeOffset.UtcNow;
        var request = new CreateLotRequest(section.SectionId, "演示国有资产 C 拍卖（测试）", BiddingMode.Ascending, 100_000m, 1_000m, [1, 2, 5],
            now.AddMinutes(5), now.AddHours(1), 0, 300, 2, null, 0, 0, 120_000m);

        // Staff of another centre may not register a lot for the project; staff of its centre may.
        var staff2 = await AsAsync("staff2");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff2.PostAsJsonAsync("/api/bidding/lots/", request)).StatusCode);
        var staff = await AsAsync("staff");
        var created = await staff.PostAsJsonAsync("/api/bidding/lots/", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var lotId = await created.Content.ReadFromJsonAsync<Guid>();
        var lot = (await fixture.Factory.Services.GetRequiredService<BidLogStore>().FindLotAsync(lotId))!;
        Assert.Equal(section.ProjectId, lot.ProjectId);

        // Watching: the owning grantor, supervisors and the centre's staff; not another centre's staff or grantor, not a bidder not admitted.
        foreach (var (user, expected) in new[]
                 {
                     ("staff", HttpStatusCode.OK), ("supervisor", HttpStatusCode.OK), ("tenderee", HttpStatusCode.OK),
                     ("staff2", HttpStatusCode.Forbidden), ("tenderee2", HttpStatusCode.Forbidden), ("bidder", HttpStatusCode.Forbidden),
                 })
        {
            var client = await AsAsync(user);
            Assert.True(expected == (await client.GetAsync($"/api/bidding/lots/{lotId}")).StatusCode, $"view as {user}");
        }

        // The grantor's view carries no reserve (the start price, not the confidential 120,000).
        var grantorView = await (await AsAsync("tenderee")).GetStringAsync($"/api/bidding/lots/{lotId}");
        Assert.DoesNotContain("120000", grantorView, StringComparison.Ordinal);

        // The log's replay: staff and supervisors; not the grantor, not another centre's staff.
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/bidding/lots/{lotId}/verify")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await AsAsync("supervisor")).GetAsync($"/api/bidding/lots/{lotId}/verify")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await AsAsync("tenderee")).GetAsync($"/api/bidding/lots/{lotId}/verify")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff2.GetAsync($"/api/bidding/lots/{lotId}/verify")).StatusCode);

        // Managing: only the centre's staff. Another centre's staff is refused; the centre's staff is answered by the
        // rules (the demo bidder's company has no approved registration with a paid deposit yet: refused with its code).
        var bidderEntity = (await fixture.Factory.Services.GetRequiredService<DepositQueries>().SectionDepositsAsync(section.SectionId, CancellationToken.None))!
            .Participants.First().EntityId;
        Assert.Equal(HttpStatusCode.Forbidden, (await staff2.PostAsJsonAsync($"/api/bidding/lots/{lotId}/bidders", new AdmitRequest(bidderEntity))).StatusCode);
        var admit = await staff.PostAsJsonAsync($"/api/bidding/lots/{lotId}/bidders", new AdmitRequest(bidderEntity));
        Assert.Equal(HttpStatusCode.BadRequest, admit.StatusCode);
        Assert.Contains("报名未通过审核", await admit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff2.PostAsJsonAsync($"/api/bidding/lots/{lotId}/increment", new IncrementRequest(2_000m, []))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await staff.PostAsJsonAsync($"/api/bidding/lots/{lotId}/increment", new IncrementRequest(2_000m, [1, 2]))).StatusCode);

        // The staff pages: the list and create page for staff; the lot's page for its centre's staff and supervisors.
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/bidding/manage")).StatusCode);
        var manage = await staff.GetStringAsync($"/bidding/{lotId}/manage");
        Assert.Contains("data-testid=\"verification\"", manage, StringComparison.Ordinal);
        // Each candidate's deposit in words (it showed the enum's name, "AwaitingPayment", to staff).
        Assert.Contains("data-state=\"AwaitingPayment\"", manage, StringComparison.Ordinal);
        Assert.Contains("待缴纳", manage, StringComparison.Ordinal);
        Assert.DoesNotContain(">AwaitingPayment<", manage.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"not-allowed\"", await staff2.GetStringAsync($"/bidding/{lotId}/manage"), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await (await AsAsync("tenderee")).GetAsync("/bidding/manage")).StatusCode);
    }
}
