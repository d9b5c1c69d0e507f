using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Tests.Projects;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Trail;

/// <summary>A project's trail records found by the project's key kept beside the chain (<c>tr_audit_projects</c>), on both providers.</summary>
public sealed class AuditProjectTests
{
    private static async Task AppendAsync(TrailHost host, params AuditRecord[] records)
    {
        var trail = host.Services.GetRequiredService<IAuditTrail>();
        await using var db = host.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        foreach (var record in records)
        {
            await trail.AppendAsync(db, record);
        }

        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    /// <summary>
    /// The records of one project in the ways the trade parts name it: the project as subject, a notice naming it in its
    /// data, a sub-subject (a deposit section, a sealed bid) naming it; and records that are not about it.
    /// </summary>
    private static async Task<(List<string> Ours, List<string> Others)> AppendProjectRecordsAsync(TrailHost host, Guid projectId, Guid otherProjectId)
    {
        var section = Guid.NewGuid();
        await AppendAsync(host,
            new AuditRecord("tenderee", null, "project", projectId.ToString(), "engineering-construction.tender.scheduled", new { projectCode = "P-1" }),
            new AuditRecord("staff", null, "notice", Guid.NewGuid().ToString(), "notices.notice.published", new { noticeId = Guid.NewGuid(), projectId, title = "招标公告" }),
            new AuditRecord("staff", null, "market-entity", Guid.NewGuid().ToString(), "market.entity.approved", new { name = "演示公司" }),
            new AuditRecord("staff", null, "deposit-section", section.ToString(), "deposits.section.configured", new { sectionId = section, projectId, amount = 90_000m }));
        await AppendAsync(host,
            new AuditRecord("bidder1", null, "sealed-bid", Guid.NewGuid().ToString(), "sealedbids.bid.submitted", new { projectId, sectionId = section, entityId = Guid.NewGuid() }),
            new AuditRecord("tenderee", null, "project", otherProjectId.ToString(), "engineering-construction.tender.scheduled", new { projectId = otherProjectId }),
            new AuditRecord("staff", null, "deposit-section", Guid.NewGuid().ToString(), "deposits.section.configured", new { projectId = otherProjectId }),
            // Named only inside a nested value: not a record about the project (the trail's convention is a top-level projectId).
            new AuditRecord("staff", null, "expert", Guid.NewGuid().ToString(), "experts.expert.updated", new { details = new { note = projectId } }));
        return (
            ["engineering-construction.tender.scheduled", "notices.notice.published", "deposits.section.configured", "sealedbids.bid.submitted"],
            ["market.entity.approved", "experts.expert.updated"]);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ProjectFilter_FindsTheProjectsRecords_ByCodeOrId_NewestFirst_AndNoOtherProjects(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var project = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.City), ProjectsHost.Input());
        var other = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.City), ProjectsHost.Input(name: "演示医院门诊楼工程"));
        var trailHost = new TrailHost(host.Database.Services, host.Database.Database);
        var (ours, others) = await AppendProjectRecordsAsync(trailHost, project.Id, other.Id);
        var log = host.Database.Services.GetRequiredService<AuditLog>();

        var byCode = await log.QueryAsync(new AuditLogFilter(Project: project.Code), 0, 50);
        var byId = await log.QueryAsync(new AuditLogFilter(Project: " " + project.Id + " "), 0, 50);

        Assert.Equal(byCode.Items.Select(e => e.Sequence), byId.Items.Select(e => e.Sequence));
        Assert.Equal(byCode.Items.Select(e => e.Sequence).OrderDescending(), byCode.Items.Select(e => e.Sequence));
        Assert.Equal([.. ours.AsEnumerable().Reverse()], byCode.Items.Select(e => e.Action).Where(a => ours.Contains(a) || others.Contains(a)));
        Assert.All(byCode.Items, e => Assert.True(e.SubjectId == project.Id.ToString() || e.Data.Contains(project.Id.ToString(), StringComparison.Ordinal)));
        Assert.DoesNotContain(byCode.Items, e => e.SubjectId == other.Id.ToString() || e.Data.Contains(other.Id.ToString(), StringComparison.Ordinal));
        Assert.Equal(byCode.Items.Count, byCode.Total);

        // Paged as the page asks, combined with the other filters; an unknown code finds nothing.
        var page = await log.QueryAsync(new AuditLogFilter(Project: project.Code), 1, 2);
        Assert.Equal(byCode.Items.Skip(1).Take(2).Select(e => e.Sequence), page.Items.Select(e => e.Sequence));
        Assert.Equal(byCode.Total, page.Total);
        var deposits = await log.QueryAsync(new AuditLogFilter(Action: "deposits.", Project: project.Code), 0, 50);
        Assert.Equal("deposits.section.configured", Assert.Single(deposits.Items).Action);
        Assert.Equal(0, (await log.QueryAsync(new AuditLogFilter(Project: "NO-SUCH-CODE"), 0, 50)).Total);
        var otherRecords = await log.QueryAsync(new AuditLogFilter(Project: other.Code), 0, 50);
        Assert.Contains(otherRecords.Items, e => e.Action == "deposits.section.configured");
        Assert.DoesNotContain(otherRecords.Items, e => e.Actor == "bidder1");

        // The chain is as it was: the key is kept beside it.
        Assert.True((await host.Database.Services.GetRequiredService<AuditTrailVerifier>().VerifyAsync()).IsIntact);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Schema_ATrailOfVersion3_GetsItsProjectKeysOnUpgrade(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var project = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.City), ProjectsHost.Input());
        var otherId = Guid.NewGuid();
        var trailHost = new TrailHost(host.Database.Services, host.Database.Database);
        await AppendProjectRecordsAsync(trailHost, project.Id, otherId);
        var log = host.Database.Services.GetRequiredService<AuditLog>();
        var before = await log.QueryAsync(new AuditLogFilter(Project: project.Code), 0, 50);
        Assert.True(before.Total >= 4);

        // Back to the trail's version 3 (no keys), as a database written before this version is; then upgraded.
        await using (var db = host.Database.Database.Create())
        {
            await db.Database.ExecuteSqlRawAsync("""DROP TABLE "tr_audit_projects"; DELETE FROM "__schema_history" WHERE "module" = 'trail' AND "version" = 4""");
        }

        await host.Database.Services.GetRequiredService<TradingSchema>().UpgradeAsync();

        var after = await log.QueryAsync(new AuditLogFilter(Project: project.Code), 0, 50);
        Assert.Equal(before.Items.Select(e => e.Sequence), after.Items.Select(e => e.Sequence));
        var other = await log.QueryAsync(new AuditLogFilter(Project: otherId.ToString()), 0, 50);
        Assert.Equal(2, other.Total);
        await using (var db = host.Database.Database.Create())
        {
            // Exactly the records the trail names a project in: the same keys a new append writes.
            var keys = await db.Set<AuditProject>().AsNoTracking().ToListAsync();
            var entries = await db.Set<AuditEntry>().AsNoTracking().ToListAsync();
            var expected = entries.Select(e => (e.Sequence, Project: AuditTrail.ProjectOf(e.SubjectType, e.SubjectId, e.Data))).Where(x => x.Project is not null)
                .Select(x => (x.Sequence, x.Project!.Value)).OrderBy(x => x.Sequence);
            Assert.Equal(expected, keys.Select(k => (k.Sequence, k.ProjectId)).OrderBy(x => x.Sequence));
        }

        Assert.True((await host.Database.Services.GetRequiredService<AuditTrailVerifier>().VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task Keys_OnPostgreSql_AreAppendOnly()
    {
        await using var host = await TradingDatabaseHost.StartAsync(DatabaseProvider.PostgreSql);
        var projectId = Guid.NewGuid();
        await AppendAsync(new TrailHost(host.Services, host.Database),
            new AuditRecord("staff", null, "project", projectId.ToString(), "engineering-construction.tender.scheduled", new { projectId }));
        await using var db = host.Database.Create();

        foreach (var sql in new[] { """UPDATE "tr_audit_projects" SET "project_id" = gen_random_uuid()""", """DELETE FROM "tr_audit_projects" """, """TRUNCATE "tr_audit_projects" """ })
        {
            var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Database.ExecuteSqlRawAsync(sql));
            Assert.Equal(Npgsql.PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        Assert.Equal(projectId, (await db.Set<AuditProject>().AsNoTracking().SingleAsync()).ProjectId);
    }

    private sealed record TrailHost(IServiceProvider Services, ITradingDatabase Database);
}
