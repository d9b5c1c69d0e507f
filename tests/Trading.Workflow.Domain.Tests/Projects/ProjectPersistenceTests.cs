using Trading.Workflow.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.Projects;

public sealed class ProjectPersistenceTests
{
    private static async Task<IReadOnlyList<AuditEntry>> TrailOfAsync(ProjectsHost host, Guid projectId)
    {
        await using var db = host.Database.Database.Create();
        var id = projectId.ToString();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => e.SubjectType == "project" && e.SubjectId == id).OrderBy(e => e.Sequence).ToListAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Register_StoresTheProjectAndItsSectionsUnderANewCode(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var actor = ProjectsHost.Tenderee(host.City);

        var project = await host.Projects.RegisterAsync(actor, ProjectsHost.Input());

        var year = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Year;
        Assert.Equal($"T-CITY-GC-{year}-00001", project.Code);
        var view = await host.Projects.GetAsync(actor, project.Id);
        var stored = view.Project;
        Assert.Equal((ProjectState.Draft, "演示学校教学楼新建工程", ProjectsHost.School.Name, 6_200_000m), (stored.State, stored.Name, stored.OwnerName, stored.EstimatedPrice));
        Assert.Equal([($"{project.Code}-01", 5_000_000m, 100_000m), ($"{project.Code}-02", 1_200_000m, 0m)],
            stored.Sections.OrderBy(s => s.Number).Select(s => (s.Code, s.EstimatedPrice, s.DepositAmount)));
        Assert.Equal(DepositForms.Transfer | DepositForms.ElectronicGuarantee, stored.Sections.Single(s => s.Number == 1).DepositForms);
        Assert.Equal("测试市中心", view.CentreName(english: false));
        Assert.True(view.MayEdit);
        Assert.Equal("projects.project.registered", Assert.Single(await TrailOfAsync(host, project.Id)).Action);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Register_ConcurrentRegistrations_EachGetAnotherCodeWithNoGap(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        const int count = 16;

        var codes = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await using var scope = host.Database.Services.CreateAsyncScope();
            var service = scope.ServiceProvider.GetRequiredService<ProjectService>();
            return (await service.RegisterAsync(ProjectsHost.Tenderee(host.City, $"tenderee{i}"), ProjectsHost.Input(name: $"并发项目 {i}"))).Code;
        })));

        var sequences = codes.Select(c => ProjectCode.Parse(c).Sequence).Order().ToList();
        Assert.Equal(Enumerable.Range(1, count), sequences);
        var other = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.OtherCity), ProjectsHost.Input());
        Assert.Equal(1, ProjectCode.Parse(other.Code).Sequence); // another centre counts on its own
    }

    [Fact]
    public async Task Register_ARefusedRegistration_GivesItsNumberBack()
    {
        await using var host = await ProjectsHost.StartAsync(DatabaseProvider.Sqlite);
        var actor = ProjectsHost.Tenderee(host.City);

        await Assert.ThrowsAsync<DomainRuleException>(() => host.Projects.RegisterAsync(actor, ProjectsHost.Input(name: " ")));
        var project = await host.Projects.RegisterAsync(actor, ProjectsHost.Input());

        Assert.Equal(1, ProjectCode.Parse(project.Code).Sequence);
    }

    [Fact]
    public async Task Register_ANewYear_StartsTheSequenceAgain()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 12, 31, 15, 30, 0, TimeSpan.Zero)); // 23:30 in Beijing
        await using var host = await ProjectsHost.StartAsync(DatabaseProvider.Sqlite, time);
        var actor = ProjectsHost.Tenderee(host.City);

        var last = await host.Projects.RegisterAsync(actor, ProjectsHost.Input());
        time.Advance(TimeSpan.FromHours(1)); // 00:30 on 1 January in Beijing, still 31 December in UTC
        var first = await host.Projects.RegisterAsync(actor, ProjectsHost.Input());

        Assert.Equal(("T-CITY-GC-2026-00001", "T-CITY-GC-2027-00001"), (last.Code, first.Code));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task SupervisingDepartment_IsStoredChangedAndCleared_AndABadCreditCodeIsRefused(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var actor = ProjectsHost.Tenderee(host.City);
        const string first17 = "11530100MB0000000";
        var code = first17 + Trading.Workflow.Domain.Market.UnifiedSocialCreditCode.CheckCharacter(first17);

        var project = await host.Projects.RegisterAsync(actor, ProjectsHost.Input() with { SupervisingDepartmentName = " 演示市住房和城乡建设局 ", SupervisingDepartmentCreditCode = code.ToLowerInvariant() });
        Assert.Equal(new DepartmentRef("演示市住房和城乡建设局", code), (await host.Projects.GetAsync(actor, project.Id)).Project.SupervisingDepartment);

        var bad = await Assert.ThrowsAsync<DomainRuleException>(() => host.Projects.ReviseAsync(actor, project.Id, project.Revision,
            ProjectsHost.Input() with { SupervisingDepartmentName = "演示市水务局", SupervisingDepartmentCreditCode = first17 + (code[^1] == '0' ? "1" : "0") }));
        Assert.Equal(ProjectRules.SupervisingDepartmentCodeInvalid, bad.RuleCode);
        var codeAlone = await Assert.ThrowsAsync<DomainRuleException>(() => host.Projects.ReviseAsync(actor, project.Id, project.Revision,
            ProjectsHost.Input() with { SupervisingDepartmentCreditCode = code }));
        Assert.Equal(ProjectRules.SupervisingDepartmentNameRequired, codeAlone.RuleCode);

        var revised = await host.Projects.ReviseAsync(actor, project.Id, project.Revision, ProjectsHost.Input() with { SupervisingDepartmentName = "演示市水务局" });
        Assert.Equal(new DepartmentRef("演示市水务局", null), (await host.Projects.GetAsync(actor, project.Id)).Project.SupervisingDepartment);
        await host.Projects.ReviseAsync(actor, project.Id, revised.Revision, ProjectsHost.Input());
        var cleared = (await host.Projects.GetAsync(actor, project.Id)).Project;
        Assert.Null(cleared.SupervisingDepartment);
        Assert.Null(cleared.SupervisingDepartmentName);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Revise_ChangesTheDraftAndRefusesAStaleRevision(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var actor = ProjectsHost.Tenderee(host.City);
        var project = await host.Projects.RegisterAsync(actor, ProjectsHost.Input());
        var second = project.Sections.Single(s => s.Number == 2);

        var revised = await host.Projects.ReviseAsync(actor, project.Id, project.Revision, ProjectsHost.Input(name: "改名后的工程",
            sections: [new SectionEdit(second.Id, new SectionDraft("室外工程（含绿化）", 1_500_000m)), new SectionEdit(null, new SectionDraft("监理", 300_000m))]));

        var stored = (await host.Projects.GetAsync(actor, project.Id)).Project;
        Assert.Equal(("改名后的工程", 1_800_000m, project.Revision + 1), (stored.Name, stored.EstimatedPrice, stored.Revision));
        Assert.Equal([(second.Id, $"{project.Code}-01", "室外工程（含绿化）"), (revised.Sections[1].Id, $"{project.Code}-02", "监理")],
            stored.Sections.OrderBy(s => s.Number).Select(s => (s.Id, s.Code, s.Subject)));
        var stale = await Assert.ThrowsAsync<DomainRuleException>(() => host.Projects.ReviseAsync(actor, project.Id, project.Revision, ProjectsHost.Input()));
        Assert.Equal(ProjectRules.Changed, stale.RuleCode);
        Assert.Equal(["projects.project.registered", "projects.project.revised"], (await TrailOfAsync(host, project.Id)).Select(e => e.Action));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Submit_StartsTheProcedureWithTheCodeAsBusinessKeyAndLinksBothWays(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var actor = ProjectsHost.Tenderee(host.City);
        var project = await host.Projects.RegisterAsync(actor, ProjectsHost.Input());

        var submitted = await host.Projects.SubmitAsync(actor, project.Id, project.Revision);

        var stored = (await host.Projects.GetAsync(actor, project.Id)).Project;
        Assert.Equal(ProjectState.Submitted, stored.State);
        Assert.Equal(ProjectProcedureOptions.EngineeringTender, stored.ProcessId);
        var instance = await host.Engine.GetInstanceAsync(stored.ProcessInstanceId!.Value);
        Assert.NotNull(instance);
        Assert.Equal((project.Code, "tenderee", submitted.ProcessInstanceId), (instance.BusinessKey, instance.StartedBy, (Guid?)instance.Id));
        var variables = await host.Engine.GetVariablesAsync(instance.Id);
        Assert.Equal((project.Code, project.Name, project.Id.ToString()), (variables["projectCode"], variables["projectName"], variables["projectId"]));
        var task = Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }));
        Assert.Equal("scheduleTender", task.ElementId);
        var link = await host.Database.Services.GetRequiredService<ProjectLookup>().FindByCodeAsync(instance.BusinessKey);
        Assert.Equal((project.Id, project.Name, ProjectState.Submitted), (link!.Id, link.Name, link.State));
        // The procedure's first service task prepares the tender inside the submission's start command.
        Assert.Equal(["projects.project.registered", "engineering-construction.tender.prepared", "projects.project.submitted"], (await TrailOfAsync(host, project.Id)).Select(e => e.Action));
        await using var db = host.Database.Database.Create();
        Assert.True(AuditChain.Verify(await db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync()).IsIntact);
    }

    [Fact]
    public async Task Submit_WhenTheProjectChangesWhileItsProcedureStarts_StoresNeitherTheInstanceNorTheSubmission()
    {
        // A procedure whose first step edits the project on a connection of its own, as another user would while
        // the start command runs: the submission's own write then fails, and the start command must store nothing.
        // PostgreSQL only: on SQLite the start command holds the single write lock, so no one can edit meanwhile.
        await using var host = await ProjectsHost.StartAsync(DatabaseProvider.PostgreSql, configure: services =>
        {
            services.AddWorkflowEngine().AddHandler<MeddlingHandler>();
            services.Configure<ProjectProcedureOptions>(o => o.Procedures[ProjectProcedureOptions.Key(Trades.TradeTypes.EngineeringConstruction, Trades.TradeMethods.InvitedTender)] = MeddlingHandler.ProcessId);
        });
        await host.Engine.DeployAsync(Engine.Parsing.BpmnParser.Parse(MeddlingHandler.Bpmn));
        var actor = ProjectsHost.Tenderee(host.City);
        var project = await host.Projects.RegisterAsync(actor, ProjectsHost.Input() with { Method = Trades.TradeMethods.InvitedTender });
        MeddlingHandler.Meddle = () => host.Projects.ReviseAsync(actor, project.Id, project.Revision, ProjectsHost.Input(name: "别人刚改的名称") with { Method = Trades.TradeMethods.InvitedTender });

        var error = await Assert.ThrowsAsync<DomainRuleException>(() => host.Projects.SubmitAsync(actor, project.Id, project.Revision));

        Assert.Equal(ProjectRules.Changed, error.RuleCode);
        var stored = (await host.Projects.GetAsync(actor, project.Id)).Project;
        Assert.Equal((ProjectState.Draft, (Guid?)null, "别人刚改的名称"), (stored.State, stored.ProcessInstanceId, stored.Name));
        Assert.Empty(await host.Engine.GetInstancesAsync(new InstanceQuery { BusinessKey = project.Code }));
        Assert.Equal(["projects.project.registered", "projects.project.revised"], (await TrailOfAsync(host, project.Id)).Select(e => e.Action));
    }

    private sealed class MeddlingHandler : Engine.Handlers.IServiceTaskHandler
    {
        public const string ProcessId = "engineering-construction.meddle";

        public const string Bpmn = """
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="meddle-definitions" targetNamespace="http://trading.workflow/tests">
              <bpmn:process id="engineering-construction.meddle" isExecutable="true">
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="meddle" />
                <bpmn:serviceTask id="meddle" tw:handler="test.meddle" />
                <bpmn:sequenceFlow id="f2" sourceRef="meddle" targetRef="wait" />
                <bpmn:userTask id="wait" tw:candidateRoles="Tenderee" />
                <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="end" />
                <bpmn:endEvent id="end" />
              </bpmn:process>
            </bpmn:definitions>
            """;

        public static Func<Task>? Meddle { get; set; }

        public string Name => "test.meddle";

        public string Description => "Edits the project while its procedure starts.";

        public async ValueTask ExecuteAsync(Engine.Handlers.ServiceTaskContext context) => await Meddle!();
    }

    [Fact]
    public async Task Submit_TwiceConcurrently_StartsOneInstance()
    {
        await using var host = await ProjectsHost.StartAsync(DatabaseProvider.PostgreSql);
        var actor = ProjectsHost.Tenderee(host.City);
        var project = await host.Projects.RegisterAsync(actor, ProjectsHost.Input());

        var attempts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            try
            {
                await host.Projects.SubmitAsync(actor, project.Id, project.Revision);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        })));

        Assert.Equal(1, attempts.Count(ok => ok));
        Assert.Single(await host.Engine.GetInstancesAsync(new InstanceQuery { BusinessKey = project.Code }));
    }

    [Fact]
    public async Task Submit_AMethodWithoutProcedure_IsRefusedAndStaysADraft()
    {
        await using var host = await ProjectsHost.StartAsync(DatabaseProvider.Sqlite);
        var actor = ProjectsHost.Tenderee(host.City);
        // Government procurement has no procedure yet (engineering open and invited tenders both run engineering-tender.bpmn).
        var project = await host.Projects.RegisterAsync(actor, ProjectsHost.Input(null, "演示学校设备采购", new SectionEdit(null, new SectionDraft("教学设备", 1_000_000m))) with { TradeType = Trades.TradeTypes.GovernmentProcurement });

        var error = await Assert.ThrowsAsync<DomainRuleException>(() => host.Projects.SubmitAsync(actor, project.Id, project.Revision));

        Assert.Equal(ProjectRules.NoProcedure, error.RuleCode);
        Assert.Equal(ProjectState.Draft, (await host.Projects.GetAsync(actor, project.Id)).Project.State);
    }

    [Fact]
    public async Task Scope_PartiesAndOfficialsOfTheCentreAndAboveSeeAProject_OthersDoNot()
    {
        await using var host = await ProjectsHost.StartAsync(DatabaseProvider.Sqlite);
        var owner = ProjectsHost.Tenderee(host.County, "tenderee.county", ProjectsHost.Hospital);
        var project = await host.Projects.RegisterAsync(owner, ProjectsHost.Input(ProjectsHost.Hospital));
        var colleague = ProjectsHost.Tenderee(host.County, "colleague", ProjectsHost.Hospital);
        var otherTenderee = ProjectsHost.Tenderee(host.County, "other", ProjectsHost.School);

        async Task<bool> SeesAsync(ProjectActor actor)
        {
            var listed = (await host.Projects.ListAsync(actor, new ProjectFilter())).Rows.Any(r => r.Id == project.Id);
            var opened = await Record.ExceptionAsync(() => host.Projects.GetAsync(actor, project.Id)) is null;
            Assert.Equal(listed, opened);
            return opened;
        }

        Assert.True(await SeesAsync(owner));
        Assert.True(await SeesAsync(colleague)); // acts for the same owner
        Assert.True(await SeesAsync(ProjectsHost.Staff(host.County)));
        Assert.True(await SeesAsync(ProjectsHost.Staff(host.City))); // the centre above, read-only
        Assert.True(await SeesAsync(ProjectsHost.Staff(host.Province)));
        Assert.False(await SeesAsync(otherTenderee));
        Assert.False(await SeesAsync(ProjectsHost.Staff(host.OtherCity)));
        // One rule for every part (ProjectAccessRules): supervisors of the region, the owner's users wherever they sign in.
        Assert.True(await SeesAsync(new ProjectActor("supervisor", [PlatformRoles.Supervisor], host.City.Id, [])));
        Assert.True(await SeesAsync(new ProjectActor("supervisor.province", [PlatformRoles.Supervisor], null, [])));
        Assert.False(await SeesAsync(new ProjectActor("supervisor2", [PlatformRoles.Supervisor], host.OtherCity.Id, [])));
        Assert.True(await SeesAsync(ProjectsHost.Tenderee(host.OtherCity, "hospital.elsewhere", ProjectsHost.Hospital)));
        Assert.False(await SeesAsync(new ProjectActor("bidder", [PlatformRoles.Bidder], host.County.Id, [ProjectsHost.School])));
        Assert.False((await host.Projects.GetAsync(ProjectsHost.Staff(host.City), project.Id)).MayEdit);
        Assert.False((await host.Projects.GetAsync(new ProjectActor("supervisor", [PlatformRoles.Supervisor], host.City.Id, []), project.Id)).MayEdit);
        await Assert.ThrowsAsync<ProjectAccessDeniedException>(() => host.Projects.ReviseAsync(otherTenderee, project.Id, project.Revision, ProjectsHost.Input(ProjectsHost.Hospital)));
        await Assert.ThrowsAsync<ProjectAccessDeniedException>(() => host.Projects.SubmitAsync(ProjectsHost.Staff(host.County), project.Id, project.Revision));
    }

    [Fact]
    public async Task Register_ForAnOwnerTheUserDoesNotActFor_IsRefused()
    {
        await using var host = await ProjectsHost.StartAsync(DatabaseProvider.Sqlite);

        await Assert.ThrowsAsync<ProjectAccessDeniedException>(() =>
            host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.City, actsFor: ProjectsHost.School), ProjectsHost.Input(ProjectsHost.Hospital)));
        await Assert.ThrowsAsync<ProjectAccessDeniedException>(() =>
            host.Projects.RegisterAsync(ProjectsHost.Staff(host.City), ProjectsHost.Input()));
    }

    [Fact]
    public async Task Register_AsAnAgencyForAnOwner_KeepsBothAndTheLetter()
    {
        await using var host = await ProjectsHost.StartAsync(DatabaseProvider.Sqlite);
        var agent = ProjectsHost.Tenderee(host.City, "agent", ProjectsHost.Agency);
        var letter = await host.StoreLetterAsync();

        var project = await host.Projects.RegisterAsync(agent, ProjectsHost.Input(ProjectsHost.Hospital) with { AgencyEntityId = ProjectsHost.Agency.EntityId, AgencyLetterSha256 = letter });

        var stored = (await host.Projects.GetAsync(agent, project.Id)).Project;
        Assert.Equal((ProjectsHost.Hospital.Name, ProjectsHost.Agency.Name, letter), (stored.OwnerName, stored.AgencyName, stored.AgencyLetterSha256));
        Assert.True((await host.Projects.GetAsync(ProjectsHost.Tenderee(host.City, "hospital.user", ProjectsHost.Hospital), project.Id)).MayEdit);
    }

    [Fact]
    public async Task List_FiltersAndPagesInTheDatabase()
    {
        await using var host = await ProjectsHost.StartAsync(DatabaseProvider.Sqlite);
        var actor = ProjectsHost.Tenderee(host.City);
        for (var i = 1; i <= 5; i++)
        {
            await host.Projects.RegisterAsync(actor, ProjectsHost.Input(name: i % 2 == 0 ? $"道路工程 {i}" : $"学校工程 {i}"));
        }

        var staff = ProjectsHost.Staff(host.City);
        var page = await host.Projects.ListAsync(staff, new ProjectFilter { Search = "道路", Take = 1, Skip = 1 });
        var byCode = await host.Projects.ListAsync(staff, new ProjectFilter { Search = "GC-" });

        Assert.Equal(2, page.Total);
        Assert.Equal("道路工程 2", Assert.Single(page.Rows).Name); // newest first
        Assert.Equal(5, byCode.Total);
        Assert.Equal(0, (await host.Projects.ListAsync(staff, new ProjectFilter { State = ProjectState.Submitted })).Total);
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
