using System.Text;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Tests.SealedBids;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Warnings;

/// <summary>
/// Warnings computed on a real database from what the platform holds (payments, sealed bids, verified profiles),
/// kept by identity across computations, reviewed by supervisors only with a note and a trail record, and seen by
/// supervisors and the project's centre staff only.
/// </summary>
public sealed class WarningServiceTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Compute_FindsEachMetadataIndicatorFromThePlatformsData(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        await host.Bids.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var a = await host.BidderAsync("bidder", "张三", "13800000001");
        var b = await host.BidderAsync("bidder2", "张三", "13800000002");
        var c = await host.BidderAsync("bidder3", "李四", "13800000001");
        await host.PayAsync(a.EntityId, "6222 0000 1111 2222", "张三");
        await host.PayAsync(b.EntityId, "6222000011112222", "张三");
        await host.PayAsync(c.EntityId, "6222000099998888", "李四");
        var shared = Encoding.UTF8.GetBytes("%PDF-1.7 同一份技术标 " + new string('x', 5000));
        await host.SubmitAsync(a, user: "agent", address: "203.0.113.7", document: shared);
        host.Bids.Clock.Advance(TimeSpan.FromSeconds(30));
        await host.SubmitAsync(b, user: "agent", address: "203.0.113.7", document: shared);
        host.Bids.Clock.Advance(TimeSpan.FromMinutes(10));
        await host.SubmitAsync(c, address: "198.51.100.2");

        var result = await host.ComputeAsync();

        var stored = await host.StoredAsync();
        Assert.Equal(
            [WarningKind.SamePayerAccount, WarningKind.SameSubmitter, WarningKind.IdenticalBidFile, WarningKind.SameLegalRepresentative,
             WarningKind.SameContactPhone, WarningKind.CloseSubmissionsSameAddress],
            stored.Select(w => w.Kind));
        Assert.Equal((6, 6, 0), (result.Found, result.Added, result.Lapsed));
        Assert.All(stored, w => Assert.Equal((WarningState.Open, host.Bids.Project.Code, host.Bids.Section.Code), (w.State, w.ProjectCode, w.SectionCode)));
        Assert.Equal("6222000011112222", stored[0].Evidence.Value);
        Assert.Equal(new[] { a.EntityId, b.EntityId }.Order(), stored[0].Bidders.Select(x => x.EntityId).Order());
        Assert.Equal("agent", stored[1].Evidence.Value);
        Assert.Equal((CollusionIndicators.ByIdNumber, ResidentIdNumber.Mask(WarningsHost.TestIdNumber(100))),
            (stored[3].Evidence.Pattern, stored[3].Evidence.Value));
        Assert.Equal("13800000001", stored[4].Evidence.Value);
        Assert.Equal(new[] { a.EntityId, c.EntityId }.Order(), stored[4].Bidders.Select(x => x.EntityId).Order());
        Assert.Equal("203.0.113.7", stored[5].Evidence.Value);
        Assert.Single(await host.TrailAsync(WarningService.ComputedAction));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Compute_IndependentBidders_FindNothing(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        await host.Bids.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var bidders = await host.ThreeBiddersAsync();
        for (var i = 0; i < bidders.Length; i++)
        {
            await host.PayAsync(bidders[i].EntityId, $"62220000{i}1112222");
            await host.SubmitAsync(bidders[i], address: "203.0.113.7");
            host.Bids.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        var result = await host.ComputeAsync();

        Assert.Equal(0, result.Found);
        Assert.Empty(await host.StoredAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Compute_TwoPeopleOfOneNameWithDifferentIdNumbers_FindsNoLegalRepresentativeWarning(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        await host.BidderAsync("bidder", "张伟", "13800000001", WarningsHost.TestIdNumber(1));
        await host.BidderAsync("bidder2", "张伟", "13800000002", WarningsHost.TestIdNumber(2));

        var result = await host.ComputeAsync();

        Assert.Equal(0, result.Found);
        Assert.Empty(await host.StoredAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Compute_AProfileVerifiedWithoutAnIdNumber_IsComparedByNameOnly(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        await host.BidderAsync("bidder", "张伟", "13800000001", WarningsHost.TestIdNumber(1));
        var old = await host.BidderAsync("bidder2", "张伟", "13800000002", WarningsHost.TestIdNumber(2));
        await host.ForgetIdNumberAsync(old.EntityId);

        await host.ComputeAsync();

        var warning = Assert.Single(await host.StoredAsync());
        Assert.Equal(WarningKind.SameLegalRepresentative, warning.Kind);
        Assert.Equal((null, "张伟"), (warning.Evidence.Pattern, warning.Evidence.Value));
    }

    [Fact]
    public async Task SealedBid_KeepsTheClientAddressItArrivedFrom()
    {
        await using var host = await WarningsHost.StartAsync(DatabaseProvider.Sqlite);
        await host.Bids.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var bidder = await host.BidderAsync("bidder", "张一", "13800000001");

        await host.SubmitAsync(bidder, address: "2001:db8::7");

        Assert.Equal("2001:db8::7", Assert.Single(await host.Bids.Bids.ListVersionsAsync(host.SectionId, bidder.EntityId)).ClientAddress);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Recompute_KeepsOneRowPerWarning_KeepsReviews_AndDropsOpenOnesThatNoLongerHold(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        await host.Bids.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var bidders = await host.ThreeBiddersAsync();
        await host.PayAsync(bidders[0].EntityId, "6222000011112222");
        await host.PayAsync(bidders[1].EntityId, "6222000011112222");
        await host.SubmitAsync(bidders[0], user: "agent", address: "203.0.113.7");
        await host.SubmitAsync(bidders[2], user: "agent", address: "203.0.113.7");
        await host.ComputeAsync();
        var first = await host.StoredAsync();
        Assert.Equal([WarningKind.SamePayerAccount, WarningKind.SameSubmitter, WarningKind.CloseSubmissionsSameAddress], first.Select(w => w.Kind));

        var again = await host.ComputeAsync();
        Assert.Equal((3, 0, 0), (again.Found, again.Added, again.Lapsed));
        Assert.Equal(first.Select(w => w.Id), (await host.StoredAsync()).Select(w => w.Id));

        // Reviewed: the payer account (still holds later) and the submitting account (no longer holds once bidder3 withdraws).
        await host.Warnings.ReviewAsync(host.Supervisor, first[0].Id, first[0].Version, confirm: true, "同一账户代缴保证金，移交调查。");
        await host.Warnings.ReviewAsync(host.Supervisor, first[1].Id, first[1].Version, confirm: false, "代理人为两家共同委托的公证员，已核实。");
        await host.Bids.Bids.WithdrawAsync(host.SectionId, bidders[2].EntityId, "bidder3");
        var last = await host.ComputeAsync();

        var stored = await host.StoredAsync();
        Assert.Equal([(first[0].Id, WarningState.Confirmed), (first[1].Id, WarningState.Dismissed)], stored.Select(w => (w.Id, w.State)));
        Assert.Equal((1, 0, 1), (last.Found, last.Added, last.Lapsed));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Review_BySupervisorWithANote_IsRecordedInTheTrail_AndOnlyOnce(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        var warning = await OnePayerWarningAsync(host);

        var reviewed = await host.Warnings.ReviewAsync(host.Supervisor, warning.Id, warning.Version, confirm: false, "  两家为同一集团的财务代付，已核实无串通。 ");

        Assert.Equal((WarningState.Dismissed, "supervisor", "两家为同一集团的财务代付，已核实无串通。"), (reviewed.State, reviewed.ReviewedBy, reviewed.ReviewNote));
        Assert.Equal(SealedBidsHost.Start, reviewed.ReviewedAt);
        var entry = Assert.Single(await host.TrailAsync("warnings.warning.dismissed"));
        Assert.Equal(("supervisor", warning.Id.ToString(), host.Bids.Projects.City.Id), (entry.Actor, entry.SubjectId, entry.CentreId));
        Assert.Contains("已核实无串通", entry.Data, StringComparison.Ordinal);
        var again = await Assert.ThrowsAsync<DomainRuleException>(() => host.Warnings.ReviewAsync(host.Supervisor, warning.Id, reviewed.Version, true, "再审"));
        Assert.Equal(WarningRules.AlreadyReviewed, again.RuleCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task Review_WithoutANote_IsRefused(string? note)
    {
        await using var host = await WarningsHost.StartAsync(DatabaseProvider.Sqlite);
        var warning = await OnePayerWarningAsync(host);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Warnings.ReviewAsync(host.Supervisor, warning.Id, warning.Version, true, note));

        Assert.Equal(WarningRules.NoteRequired, refused.RuleCode);
        Assert.Equal(WarningState.Open, Assert.Single(await host.StoredAsync()).State);
        Assert.Empty(await host.TrailAsync("warnings.warning.confirmed"));
    }

    [Theory]
    [InlineData(PlatformRoles.Staff)]
    [InlineData(PlatformRoles.Bidder)]
    [InlineData(PlatformRoles.Tenderee)]
    [InlineData(PlatformRoles.Expert)]
    [InlineData(PlatformRoles.Administrator)]
    public async Task ReviewAndRecompute_ByAnyoneButASupervisor_AreRefused(string role)
    {
        await using var host = await WarningsHost.StartAsync(DatabaseProvider.Sqlite);
        var warning = await OnePayerWarningAsync(host);
        var viewer = new WarningViewer("someone", [role], host.Bids.Projects.City.Id);

        var review = await Assert.ThrowsAsync<DomainRuleException>(() => host.Warnings.ReviewAsync(viewer, warning.Id, warning.Version, true, "理由"));
        var recompute = await Assert.ThrowsAsync<DomainRuleException>(() => host.Warnings.RecomputeAsync(viewer, host.SectionId));

        Assert.Equal((WarningRules.SupervisorOnly, WarningRules.SupervisorOnly), (review.RuleCode, recompute.RuleCode));
        Assert.Equal(WarningState.Open, Assert.Single(await host.StoredAsync()).State);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Visibility_SupervisorsAndTheCentresStaffSee_OthersAreToldNothing(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        var warning = await OnePayerWarningAsync(host);
        var projects = host.Bids.Projects;
        var provinceSupervisor = host.Supervisor;
        var citySupervisor = new WarningViewer("supervisor-city", [PlatformRoles.Supervisor], projects.City.Id);
        var otherCitySupervisor = new WarningViewer("supervisor-other", [PlatformRoles.Supervisor], projects.OtherCity.Id);
        var otherStaff = new WarningViewer("staff2", [PlatformRoles.Staff], projects.OtherCity.Id);

        foreach (var viewer in new[] { provinceSupervisor, citySupervisor, host.CityStaff })
        {
            Assert.Equal(warning.Id, Assert.Single(await host.Warnings.ListAsync(viewer)).Id);
            Assert.NotNull(await host.Warnings.GetAsync(viewer, warning.Id));
            Assert.Equal(1, await host.Warnings.OpenCountAsync(viewer, host.Bids.Project.Id));
        }

        Assert.True(await host.Warnings.MayReviewAsync(provinceSupervisor, warning));
        Assert.False(await host.Warnings.MayReviewAsync(host.CityStaff, warning));
        foreach (var viewer in new[] { otherCitySupervisor, otherStaff })
        {
            Assert.Empty(await host.Warnings.ListAsync(viewer));
            Assert.Null(await host.Warnings.GetAsync(viewer, warning.Id));
            Assert.Null(await host.Warnings.OpenCountAsync(viewer, host.Bids.Project.Id));
        }

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Warnings.ReviewAsync(otherCitySupervisor, warning.Id, warning.Version, true, "理由"));
        Assert.Equal(WarningRules.NotFound, refused.RuleCode);
        foreach (var role in new[] { PlatformRoles.Bidder, PlatformRoles.Tenderee, PlatformRoles.Expert, PlatformRoles.Administrator })
        {
            var viewer = new WarningViewer("bidder", [role], projects.City.Id);
            await Assert.ThrowsAsync<ProjectAccessDeniedException>(() => host.Warnings.ListAsync(viewer));
            Assert.Null(await host.Warnings.GetAsync(viewer, warning.Id));
            Assert.Null(await host.Warnings.OpenCountAsync(viewer, host.Bids.Project.Id));
        }

        await Assert.ThrowsAsync<ProjectAccessDeniedException>(() => host.Warnings.ListAsync(new WarningViewer(string.Empty, [], null)));
    }

    [Fact]
    public async Task List_FiltersByStateKindAndProjectCode()
    {
        await using var host = await WarningsHost.StartAsync(DatabaseProvider.Sqlite);
        var warning = await OnePayerWarningAsync(host);
        await host.Warnings.ReviewAsync(host.Supervisor, warning.Id, warning.Version, true, "移交调查");

        Assert.Single(await host.Warnings.ListAsync(host.Supervisor, new WarningFilter(State: WarningState.Confirmed)));
        Assert.Empty(await host.Warnings.ListAsync(host.Supervisor, new WarningFilter(State: WarningState.Open)));
        Assert.Single(await host.Warnings.ListAsync(host.Supervisor, new WarningFilter(Kind: WarningKind.SamePayerAccount)));
        Assert.Empty(await host.Warnings.ListAsync(host.Supervisor, new WarningFilter(Kind: WarningKind.RegularPrices)));
        Assert.Single(await host.Warnings.ListAsync(host.Supervisor, new WarningFilter(Project: host.Bids.Project.Code[..6])));
        Assert.Empty(await host.Warnings.ListAsync(host.Supervisor, new WarningFilter(Project: "NO-SUCH-CODE")));
    }

    private static async Task<CollusionWarning> OnePayerWarningAsync(WarningsHost host)
    {
        var bidders = await host.ThreeBiddersAsync();
        await host.PayAsync(bidders[0].EntityId, "6222000011112222");
        await host.PayAsync(bidders[1].EntityId, "6222000011112222");
        await host.ComputeAsync();
        return Assert.Single(await host.StoredAsync());
    }
}
