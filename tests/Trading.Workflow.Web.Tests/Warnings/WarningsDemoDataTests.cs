using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Web.Configuration;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Warnings;

namespace Trading.Workflow.Web.Tests.Warnings;

public sealed class WarningsDemoDataTests
{
    [Fact]
    public async Task Start_WithDemoData_GivesTheSupervisorComputedWarnings_ThatComputingAgainFindsUnchanged_AndSeedingAgainDoesNotDuplicate()
    {
        await using var factory = new PlatformFactory();
        factory.CreateClient();

        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        var warnings = services.GetRequiredService<WarningService>();
        var database = services.GetRequiredService<ITradingDatabase>();
        var supervisor = new WarningViewer("supervisor", [PlatformRoles.Supervisor], null);
        var sectionId = (await WarningsDemoData.DemoSectionAsync(database, CancellationToken.None))!.Value;

        var seeded = (await warnings.PageAsync(supervisor, null, 0, 20)).Rows;
        Assert.Equal([WarningKind.SameLegalRepresentative, WarningKind.SameContactPhone], seeded.Select(w => w.Kind).Order());
        Assert.All(seeded, w => Assert.Equal(sectionId, w.SectionId));
        Assert.All(seeded, w => Assert.Equal(WarningsDemoData.Companies.Select(c => c.Name).Order(), w.Bidders.Select(b => b.Name).Order()));
        Assert.All(seeded, w => Assert.Contains("演示数据", w.ProjectName, StringComparison.Ordinal));
        // The two companies state one demo ID number for their representative: found by number, shown masked.
        var representative = seeded.Single(w => w.Kind == WarningKind.SameLegalRepresentative).Evidence;
        Assert.Equal((CollusionIndicators.ByIdNumber, ResidentIdNumber.Mask(WarningsDemoData.LegalRepresentativeIdNumber)), (representative.Pattern, representative.Value));
        Assert.All(representative.Lines, l => Assert.StartsWith(WarningsDemoData.LegalRepresentative, l.Detail, StringComparison.Ordinal));

        // The real computation over the section's data finds exactly these warnings again: nothing added, nothing lapsed.
        await using (var db = database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var again = await warnings.ComputeAsync(db, sectionId);
            await tx.CommitAsync();
            Assert.Equal((seeded.Count, 0, 0), (again.Found, again.Added, again.Lapsed));
        }

        var staff = new WarningViewer("staff", [PlatformRoles.Staff], (await services.GetRequiredService<UserManager<AppUser>>().FindByNameAsync("staff"))!.CentreId);
        Assert.Equal(seeded.Count, (await warnings.PageAsync(staff, null, 0, 20)).Total);

        // Seeding again (a database that lost its step record) adds no company, participation or warning.
        var step = services.GetServices<IDemoDataStep>().OfType<WarningsDemoData>().Single();
        var demo = new DemoDataContext(services.GetRequiredService<AppDbContext>(), services.GetRequiredService<UserManager<AppUser>>(),
            services.GetRequiredService<IOptions<DemoDataOptions>>().Value.Password, services);
        await step.SeedAsync(demo, CancellationToken.None);

        var after = (await warnings.PageAsync(supervisor, null, 0, 20)).Rows;
        Assert.Equal(seeded.Select(w => (w.Id, w.Identity)).OrderBy(x => x.Id), after.Select(w => (w.Id, w.Identity)).OrderBy(x => x.Id));
        await using var check = database.Create();
        var codes = WarningsDemoData.Companies.Select(c => c.Code).ToList();
        Assert.Equal(2, await check.Set<MarketEntity>().CountAsync(e => codes.Contains(e.Identifier)));
        Assert.Equal(2, await check.Set<Participation>().CountAsync(p => p.SectionId == sectionId && p.CreatedBy == WarningsDemoData.UserName));
    }
}
