using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Tests.Deposits;
using Trading.Workflow.Domain.Tests.Projects;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Experts;

/// <summary>
/// A real database (SQLite file or PostgreSQL) with the projects part, the expert pool and draw, a registered project
/// whose owner is <see cref="ProjectsHost.School"/>, verified bidder companies taking part in it, accounts for experts
/// and tenderee representatives, and a clock the test moves.
/// </summary>
public sealed class ExpertsHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);

    private ExpertsHost(ProjectsHost projects, DepositClock clock, Accounts accounts, Members members, Project project)
    {
        Projects = projects;
        Clock = clock;
        AccountList = accounts;
        MemberList = members;
        Project = project;
    }

    public ProjectsHost Projects { get; }

    public DepositClock Clock { get; }

    public Project Project { get; }

    internal Accounts AccountList { get; }

    internal Members MemberList { get; }

    public IServiceProvider Services => Projects.Database.Services;

    public ExpertPoolService Pool => Services.GetRequiredService<ExpertPoolService>();

    public CommitteeService Committees => Services.GetRequiredService<CommitteeService>();

    public static ExpertsActor Staff { get; } = new("staff", "staff-id", [PlatformRoles.Staff], null);

    public ExpertsActor CentreStaff => Staff with { CentreId = Project.CentreId };

    public static ExpertsActor Supervisor { get; } = new("supervisor", "supervisor-id", [PlatformRoles.Supervisor], null);

    public static ExpertsActor Tenderee { get; } = new("tenderee", "tenderee-id", [PlatformRoles.Tenderee], null);

    public static ExpertsActor ExpertActor(string userName) => new(userName, userName + "-id", [PlatformRoles.Expert], null);

    /// <summary>Starts the host; unless <paramref name="setMethod"/> is false the tenderee has set the project's evaluation
    /// method, which the draw waits for (the projects host installs the engineering slice and with it the evaluation).</summary>
    public static async Task<ExpertsHost> StartAsync(DatabaseProvider provider, Action<IServiceCollection>? configure = null, ProjectInput? project = null, bool setMethod = true)
    {
        var clock = new DepositClock(Start);
        var accounts = new Accounts();
        var members = new Members();
        var projects = await ProjectsHost.StartAsync(provider, clock, services =>
        {
            services.AddExperts();
            services.AddSingleton<IUserDirectory>(accounts);
            services.AddSingleton<IEntityMembership>(members);
            services.AddSingleton<INotificationRecipientDirectory>(new Recipients(accounts));
            configure?.Invoke(services);
        });
        var registered = await projects.Projects.RegisterAsync(ProjectsHost.Tenderee(projects.City), project ?? ProjectsHost.Input());
        accounts.Add("tenderee", PlatformRoles.Tenderee);
        accounts.Add("tenderee2", PlatformRoles.Tenderee);
        accounts.Add("outsider", PlatformRoles.Tenderee);
        members.Add(ProjectsHost.School.EntityId, "tenderee-id");
        members.Add(ProjectsHost.School.EntityId, "tenderee2-id");
        var host = new ExpertsHost(projects, clock, accounts, members, registered);
        if (setMethod)
        {
            await host.SetMethodAsync(registered);
        }

        return host;
    }

    /// <summary>The project's evaluation method as the tenderee sets it on /evaluations/{id} (stored directly: the tenderee's
    /// authorization over the project is the evaluation's own test, and this host's accounts are not project parties).</summary>
    public async Task SetMethodAsync(Project project)
    {
        await using var db = Projects.Database.Database.Create();
        db.Add(Trading.Workflow.Domain.Evaluation.EvaluationPlan.Create(project.Id, Trading.Workflow.Domain.Evaluation.EvaluationMethod.LowestPrice(), "tenderee", Clock.GetUtcNow()));
        await db.SaveChangesAsync();
    }

    /// <summary>A verified company taking part in the project's first section.</summary>
    public async Task<MarketEntity> BidderAsync(string name, string first17, string representative = "张三")
    {
        var market = Services.GetRequiredService<MarketEntityService>();
        var code = first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
        var profile = EntityProfile.Create(EntityKind.Organisation, name, code, representative, "福州市鼓楼区演示路1号", "350102",
            new BankAccount("演示银行福州分行", name, "6222 0000 1111 2222"), [], [new Contact("李四", "13800000000", null)], DateOnly.FromDateTime(Start.UtcDateTime),
            "350102198001010003");
        var entity = await market.RegisterAsync(EntityKind.Organisation, profile, new MarketActor("bidder"));
        entity = await market.ApproveAsync(entity.Id, entity.Version, new MarketActor("staff", Projects.City.Id));
        var section = Project.Sections.OrderBy(s => s.Number).First();
        await Services.GetRequiredService<ParticipationService>().EnsureAsync(section.Id, entity.Id, ParticipationOrigin.DocumentsDownloaded, "bidder");
        return entity;
    }

    /// <summary>An expert account and its pool entry.</summary>
    public async Task<Expert> ExpertAsync(string userName, string specialty = "A0101", string employer = "演示设计研究院", string? employerCode = null,
        IReadOnlyList<PastEmployer>? past = null, IReadOnlyList<DeclaredRelationship>? relationships = null, bool supervising = false)
    {
        AccountList.Add(userName, PlatformRoles.Expert);
        return await Pool.RegisterAsync(userName, Profile(userName, specialty, employer, employerCode, past, relationships, supervising), Staff);
    }

    public static ExpertProfile Profile(string name, string specialty = "A0101", string employer = "演示设计研究院", string? employerCode = null,
        IReadOnlyList<PastEmployer>? past = null, IReadOnlyList<DeclaredRelationship>? relationships = null, bool supervising = false) =>
        new(name, "13900000000", "高级工程师", [specialty], new Employer(employer, employerCode), supervising, past ?? [], relationships ?? []);

    /// <summary>Experts expert1..expertN of specialty A0101 with distinct employers.</summary>
    public async Task<List<Expert>> ExpertsAsync(int count, string prefix = "expert", string specialty = "A0101")
    {
        var list = new List<Expert>();
        for (var i = 1; i <= count; i++)
        {
            list.Add(await ExpertAsync($"{prefix}{i}", specialty, $"演示设计研究院{prefix}{i}"));
        }

        return list;
    }

    /// <summary>Every drawn expert of <paramref name="committee"/> confirms.</summary>
    public async Task ConfirmAllAsync(ExpertCommittee committee)
    {
        foreach (var invitation in committee.Invitations)
        {
            await Committees.RespondAsync(invitation.Id, true, null, ExpertActor(invitation.UserName));
        }
    }

    public CommitteeRequest Request(int experts = 5, params string[] representatives) =>
        new(Project.Id, [new SpecialtyCount("A01", experts)], representatives, Start.AddDays(2));

    public ValueTask DisposeAsync() => Projects.DisposeAsync();

    internal sealed class Accounts : IUserDirectory
    {
        private readonly Dictionary<string, UserAccount> _accounts = new(StringComparer.Ordinal);

        public void Add(string userName, string role) =>
            _accounts[userName] = new UserAccount(userName, userName + "-id", "用户" + userName, null, "13900000000", [role], null, false);

        public Task<UserAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken = default) =>
            Task.FromResult(_accounts.GetValueOrDefault(userName));

        public Task<IReadOnlyList<UserAccount>> FindByAccountIdsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>(_accounts.Values.Where(a => accountIds.Contains(a.AccountId)).ToList());

        public Task<IReadOnlyList<UserAccount>> InRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>(_accounts.Values.Where(a => a.Roles.Contains(role)).OrderBy(a => a.UserName, StringComparer.Ordinal).ToList());
    }

    /// <summary>Every account has a phone, so invitations go out by SMS and voice too.</summary>
    private sealed class Recipients(Accounts accounts) : INotificationRecipientDirectory
    {
        public ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new NotificationRecipient(userId, "zh-CN", null, "13900000000", userId));

        public async ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken) =>
            (await accounts.InRoleAsync(role, centreId, cancellationToken)).Select(a => a.UserName).ToList();
    }

    internal sealed class Members : IEntityMembership
    {
        private readonly HashSet<(Guid, string)> _members = [];

        public void Add(Guid entityId, string accountId) => _members.Add((entityId, accountId));

        public Task<IReadOnlyList<EntityMembershipInfo>> EntitiesOfAsync(string userId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<EntityMembershipInfo>>([]);

        public Task<bool> IsMemberAsync(Guid entityId, string userId, CancellationToken cancellationToken = default) =>
            Task.FromResult(_members.Contains((entityId, userId)));

        public Task<bool> IsAdministratorAsync(Guid entityId, string userId, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<IReadOnlyList<string>> MembersOfAsync(Guid entityId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>(_members.Where(m => m.Item1 == entityId).Select(m => m.Item2).ToList());
    }
}
