using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.Evaluation;

/// <summary>
/// A real database (SQLite file or PostgreSQL) with the engine and the evaluation part: one engineering project with one
/// section whose opening is closed with decrypted bids (rows as the opening part leaves them), a committee from an
/// in-test <see cref="IEvaluationCommittees"/>, and access rules that name who may manage or read the project.
/// </summary>
public sealed class EvaluationWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);

    private EvaluationWorld(TradingDatabaseHost host, EngineeringConstruction.TenderClock clock, TestCommittees committees)
    {
        Host = host;
        Clock = clock;
        Committees = committees;
    }

    public TradingDatabaseHost Host { get; }

    public EngineeringConstruction.TenderClock Clock { get; }

    public TestCommittees Committees { get; }

    public IServiceProvider Services => Host.Services;

    public EvaluationService Evaluations => Services.GetRequiredService<EvaluationService>();

    public IWorkflowEngine Engine => Services.GetRequiredService<IWorkflowEngine>();

    public Project Project { get; private set; } = null!;

    public IReadOnlyList<Guid> BidIds { get; private set; } = [];

    public static EvaluationActor Staff(Guid centreId) => new("staff", [Domain.Accounts.PlatformRoles.Staff], centreId);

    /// <param name="deposits">
    /// When given, the closed session has its signed opening record stating each bidder's deposit (a DepositState name,
    /// or None), as the opening leaves it; without, no record (the deposit is not stated).
    /// </param>
    public static async Task<EvaluationWorld> StartAsync(
        DatabaseProvider provider, decimal[] prices, int members = 5, Action<IServiceCollection>? configure = null, string[]? deposits = null)
    {
        var clock = new EngineeringConstruction.TenderClock(Start);
        var committees = new TestCommittees(members);
        var host = await TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.AddWorkflowEngine();
            services.AddEvaluation();
            services.AddSingleton<IEvaluationCommittees>(committees);
            services.Replace(ServiceDescriptor.Singleton<IProjectAuthorization>(new TestAuthorization()));
            configure?.Invoke(services);
        }, clock);
        var world = new EvaluationWorld(host, clock, committees);
        await world.SeedAsync(prices, deposits);
        committees.ProjectId = world.Project.Id;
        return world;
    }

    private async Task SeedAsync(decimal[] prices, string[]? deposits)
    {
        var code = ProjectCode.Format("530100", TradeTypes.EngineeringConstruction, 2026, 7);
        Project = Project.Register(code, Guid.NewGuid(), TradeTypes.EngineeringConstruction,
            new ProjectDetails(TradeMethods.OpenTender, "演示市政道路改造工程（演示数据）", new PartyRef(Guid.NewGuid(), "演示市城市建设投资有限公司"), null, null, true, "530102", "市政"),
            [new SectionDraft("施工", 9_000_000m, 100_000m, DepositForms.Transfer)], "tenderee", Clock.GetUtcNow());
        await using var db = Host.Database.Create();
        db.Add(Project);
        var section = Project.Sections[0];
        var session = OpeningSession.Start(new OpeningSection(section.Id, Project.Id, Project.CentreId, Project.Code, Project.Name, section.Code, section.Subject, Project.TradeType, Project.RegionCode),
            prices.Length, 3, TimeSpan.FromMinutes(30), Start, Start, null);
        db.Add(session);
        var ids = new List<Guid>();
        var bids = new List<OpeningBid>();
        for (var i = 0; i < prices.Length; i++)
        {
            var bid = OpeningBid.For(session.Id, new SealedBidView(Guid.NewGuid(), Guid.NewGuid(), Project.Id, section.Id, Guid.NewGuid(), $"演示投标人{i + 1}有限公司", 1, Start.AddDays(-1).AddMinutes(i), []));
            bid.Decrypted(new BidLetter(prices[i], 300 + i, "合格", string.Empty), "bidder" + i, Start.AddMinutes(5));
            db.Add(bid);
            db.Add(new OpenedBidItem(bid.BidId, session.Id, 0, "投标函.json", "BidLetter", new string((char)('a' + i), 64), 80, Start.AddMinutes(5)));
            db.Add(new OpenedBidItem(bid.BidId, session.Id, 1, "工程量清单.pdf", "BillOfQuantities", new string((char)('k' + i), 64), 2048, Start.AddMinutes(5)));
            ids.Add(bid.BidId);
            bids.Add(bid);
        }

        session.Close("staff", Start.AddMinutes(10), allDecrypted: true);
        if (deposits is not null)
        {
            var content = OpeningRecordContent.Build(session, bids, bids.Zip(deposits).ToDictionary(x => x.First.EntityId, x => x.Second));
            var keys = Sm2.GenerateKeyPair();
            db.Add(OpeningRecord.Signed(content, Sm2.Sign(keys.PrivateKeyHex, OpeningRecord.BytesOf(content)),
                new PlatformPublicKey(PlatformKey.OpeningRecordPurpose, keys.PublicKeyHex, Sm2.Fingerprint(keys.PublicKeyHex), Start), Start.AddMinutes(10)));
        }

        await db.SaveChangesAsync();
        BidIds = ids;
    }

    /// <summary>A method the tenderee set (stored directly, as <see cref="EvaluationService.SetMethodAsync"/> would).</summary>
    public async Task SetMethodAsync(EvaluationMethod method) => await Evaluations.SetMethodAsync(Project.Id, method, "tenderee");

    /// <summary>Opens the evaluation outside a procedure (its own transaction), as <c>evaluation.open</c> does inside one.</summary>
    public Task<Domain.Evaluation.Evaluation> OpenAsync() =>
        InTransactionAsync(async db => (await Evaluations.OpenAsync(db, Project.Code, null, null, default)).Evaluation);

    public Task<Domain.Evaluation.Evaluation> AggregateAsync(Guid evaluationId) =>
        InTransactionAsync(async db => (await Evaluations.AggregateAsync(db, evaluationId, default)).Evaluation);

    public Task<Domain.Evaluation.Evaluation> CloseAsync(Guid evaluationId) =>
        InTransactionAsync(db => Evaluations.CloseAsync(db, evaluationId, default));

    /// <summary>Runs a step the procedure runs in its command transaction, in a transaction of its own.</summary>
    private async Task<T> InTransactionAsync<T>(Func<TradingDbContext, Task<T>> step)
    {
        await using var db = Host.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        var result = await step(db);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return result;
    }

    public static BidReview Pass(Guid bidId, params (string Code, decimal Points)[] scores) =>
        new(bidId, QualificationVerdict.Pass, null, null, scores.ToDictionary(s => s.Code, s => s.Points));

    public static BidReview Reject(Guid bidId, RejectionReason reason) => new(bidId, QualificationVerdict.Reject, reason, "见投标文件", new Dictionary<string, decimal>());

    public async Task<IReadOnlyList<string>> TrailActionsAsync()
    {
        await using var db = Host.Database.Create();
        return await db.Set<Domain.Trail.AuditEntry>().AsNoTracking().Where(e => e.SubjectType == "evaluation").OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>
/// The committee as the experts part confirms it: members expert1..expertN in order; a replacement is drawn at once
/// (expertR1, expertR2…) unless <see cref="ConfirmReplacementsLater"/>, when it joins only after <see cref="ConfirmPending"/>.
/// </summary>
public sealed class TestCommittees(int size) : IEvaluationCommittees
{
    private readonly List<CommitteeMember> _members = [.. Enumerable.Range(1, size).Select(i => new CommitteeMember(Guid.NewGuid(), "expert" + i, "专家" + i, i == size))];
    private readonly List<CommitteeMember> _pending = [];
    private int _drawn;

    public Guid Id { get; } = Guid.NewGuid();

    public Guid ProjectId { get; set; }

    public bool ConfirmReplacementsLater { get; set; }

    public List<(Guid ExpertId, string Reason)> Replacements { get; } = [];

    public IReadOnlyList<CommitteeMember> Members => _members;

    public Task<EvaluationCommittee?> GetConfirmedCommitteeAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        Task.FromResult<EvaluationCommittee?>(projectId == ProjectId ? new EvaluationCommittee(Id, projectId, [.. _members]) : null);

    public Task<EvaluationCommittee> ReplaceMemberAsync(Guid committeeId, Guid expertId, string reason, string requestedBy, CancellationToken cancellationToken = default)
    {
        Replacements.Add((expertId, reason));
        var index = _members.FindIndex(m => m.ExpertId == expertId);
        _members.RemoveAt(index);
        var replacement = new CommitteeMember(Guid.NewGuid(), "expertR" + ++_drawn, "替补专家" + _drawn, false);
        if (ConfirmReplacementsLater)
        {
            _pending.Add(replacement);
        }
        else
        {
            _members.Insert(index, replacement);
        }

        return Task.FromResult(new EvaluationCommittee(Id, ProjectId, [.. _members]));
    }

    public void ConfirmPending()
    {
        _members.AddRange(_pending);
        _pending.Clear();
    }
}

/// <summary>Access as the rules decide it in the application: the tenderee manages; staff, supervisor and tenderee read the project; experts act.</summary>
public sealed class TestAuthorization : IProjectAuthorization
{
    public Task<bool> CanAsync(string userId, Guid projectId, ProjectAction action, Guid? entityId = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(action switch
        {
            ProjectAction.Manage => userId == "tenderee",
            ProjectAction.ViewProject => userId is "tenderee" or "staff" or "supervisor",
            ProjectAction.Act => userId.StartsWith("expert", StringComparison.Ordinal) || userId.StartsWith("bidder", StringComparison.Ordinal),
            _ => false,
        });

    public Task<ProjectPrincipal?> PrincipalAsync(string userId, IReadOnlyCollection<string>? roles = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<ProjectPrincipal?>(new ProjectPrincipal(userId, roles ?? [], null, []));

    public Task<ProjectScope?> ScopeAsync(string? projectCode, CancellationToken cancellationToken = default) => Task.FromResult<ProjectScope?>(null);

    public string ProjectCodeSql(DatabaseProvider provider, string keyExpression) => "NULL";

    public string? ProjectKeysSql(DatabaseProvider provider, Func<string, string> codeCondition) => null;

    public Task<ProjectScope?> ScopeAsync(Guid projectId, CancellationToken cancellationToken = default) => Task.FromResult<ProjectScope?>(null);

    public ProjectStanding StandingOf(ProjectPrincipal user, ProjectScope project) => throw new NotSupportedException("Not used by the evaluation.");

    public async Task RequireAsync(string userId, Guid projectId, ProjectAction action, Guid? entityId = null, CancellationToken cancellationToken = default)
    {
        if (!await CanAsync(userId, projectId, action, entityId, cancellationToken))
        {
            throw new Domain.Access.ProjectAccessDeniedException(projectId.ToString(), action);
        }
    }

    public Task<ProjectSelection?> ReadableAsync(ProjectPrincipal user, CancellationToken cancellationToken = default) => Task.FromResult<ProjectSelection?>(null);

    public Task<ProjectCodes> CodesAsync(ProjectPrincipal user, CancellationToken cancellationToken = default) => throw new NotSupportedException("Not used by the evaluation.");
}
