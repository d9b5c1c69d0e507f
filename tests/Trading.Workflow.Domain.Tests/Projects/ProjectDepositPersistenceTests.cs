using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.Projects;

/// <summary>Submitting a project configures its sections' deposits in the submission's transaction.</summary>
public sealed class ProjectDepositPersistenceTests
{
    private static ProjectInput ThreeSections() => ProjectsHost.Input(sections:
    [
        new SectionEdit(null, new SectionDraft("一标段：主体结构", 5_000_000m, 100_000m, DepositForms.Transfer | DepositForms.ElectronicGuarantee)),
        new SectionEdit(null, new SectionDraft("二标段：室外工程", 1_200_000m)),
        new SectionEdit(null, new SectionDraft("三标段：绿化工程", 800_000m, 16_000m, DepositForms.BankGuarantee)),
    ]);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Submit_ConfiguresTheDepositOfEachSectionThatAsksOne(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var actor = ProjectsHost.Tenderee(host.City);
        var project = await host.Projects.RegisterAsync(actor, ThreeSections());
        await using (var db = host.Database.Database.Create())
        {
            Assert.Empty(await db.Set<DepositSection>().ToListAsync());
        }

        var submitted = await host.Projects.SubmitAsync(actor, project.Id, project.Revision);

        await using var read = host.Database.Database.Create();
        var sections = await read.Set<DepositSection>().AsNoTracking().OrderBy(s => s.SectionCode).ToListAsync();
        Assert.Equal(2, sections.Count);
        var first = submitted.Sections.Single(s => s.Number == 1);
        var third = submitted.Sections.Single(s => s.Number == 3);
        Assert.Equal(
            (first.Id, first.Code, first.Subject, project.Id, project.Code, project.Name, host.City.Id, 100_000m, DepositForms.Transfer | DepositForms.ElectronicGuarantee, ProjectsHost.School.Name, "tenderee"),
            (sections[0].SectionId, sections[0].SectionCode, sections[0].SectionSubject, sections[0].ProjectId, sections[0].ProjectCode, sections[0].ProjectName, sections[0].CentreId,
             sections[0].Amount, sections[0].Forms, sections[0].Beneficiary, sections[0].ConfiguredBy));
        Assert.Equal((third.Id, 16_000m, DepositForms.BankGuarantee), (sections[1].SectionId, sections[1].Amount, sections[1].Forms));
        Assert.NotEqual(sections[0].Serial, sections[1].Serial);
        Assert.True(sections[0].GuaranteeValidUntil > DateOnly.FromDateTime(DateTime.UtcNow));

        // The trail records the configuration in the same chain as the submission.
        var configured = await read.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == "deposits.section.configured").ToListAsync();
        Assert.Equal(2, configured.Count);
        Assert.True(AuditChain.Verify(await read.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync()).IsIntact);

        // A bidder's sub-account can be opened on the configured section.
        var account = await host.Database.Services.GetRequiredService<DepositService>()
            .OpenAccountAsync(first.Id, Guid.NewGuid(), "演示建设集团有限公司", "bidder", CancellationToken.None);
        Assert.Equal(first.Id, account.SectionId);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, ProjectState.Terminated)]
    [InlineData(DatabaseProvider.PostgreSql, ProjectState.Completed)]
    public async Task AProjectThatEnded_OffersNoSubAccount_AndRefusesToOpenOne(DatabaseProvider provider, ProjectState ended)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var actor = ProjectsHost.Tenderee(host.City);
        var draft = await host.Projects.RegisterAsync(actor, ThreeSections());
        var submitted = await host.Projects.SubmitAsync(actor, draft.Id, draft.Revision);
        var first = submitted.Sections.Single(s => s.Number == 1);
        var deposits = host.Database.Services.GetRequiredService<DepositService>();
        var queries = host.Database.Services.GetRequiredService<DepositQueries>();
        var bidder = Guid.NewGuid();
        Assert.Contains(await queries.OpenToAsync([bidder], CancellationToken.None), s => s.SectionId == first.Id);

        await using (var db = host.Database.Database.Create())
        {
            var project = await db.Set<Project>().SingleAsync(p => p.Id == draft.Id);
            if (ended == ProjectState.Terminated)
            {
                project.Terminate(DateTimeOffset.UtcNow);
            }
            else
            {
                project.Complete(DateTimeOffset.UtcNow);
            }

            await db.SaveChangesAsync();
        }

        Assert.DoesNotContain(await queries.OpenToAsync([bidder], CancellationToken.None), s => s.ProjectId == draft.Id);
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => deposits.OpenAccountAsync(first.Id, bidder, "演示建设集团有限公司", "bidder", CancellationToken.None));
        Assert.Equal(DepositRules.ProjectEnded, refused.RuleCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Submit_ThatFailsAfterTheDepositsWereConfigured_LeavesNoDepositSectionAndADraft(DatabaseProvider provider)
    {
        // A second setup (after the deposits part's) fails: the whole start command, deposits included, rolls back.
        await using var host = await ProjectsHost.StartAsync(provider, configure: services => services.AddSingleton<ISectionDepositSetup, FailingSetup>());
        var actor = ProjectsHost.Tenderee(host.City);
        var project = await host.Projects.RegisterAsync(actor, ThreeSections());

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Projects.SubmitAsync(actor, project.Id, project.Revision));

        Assert.True(FailingSetup.Ran);
        await using var db = host.Database.Database.Create();
        Assert.Empty(await db.Set<DepositSection>().ToListAsync());
        Assert.False(await db.Set<AuditEntry>().AnyAsync(e => e.Action == "deposits.section.configured"));
        Assert.Equal(ProjectState.Draft, (await host.Projects.GetAsync(actor, project.Id)).Project.State);
        Assert.Empty(await host.Engine.GetInstancesAsync(new InstanceQuery { BusinessKey = project.Code }));
    }

    private sealed class FailingSetup : ISectionDepositSetup
    {
        public static bool Ran { get; private set; }

        public Task ConfigureAsync(TradingDbContext db, Project project, string actor, CancellationToken cancellationToken)
        {
            // The deposits part ran first: its sections are pending in this very context.
            Assert.Equal(2, db.Set<DepositSection>().Local.Count);
            Ran = true;
            throw new InvalidOperationException("The submission fails after its deposits were configured.");
        }
    }
}
