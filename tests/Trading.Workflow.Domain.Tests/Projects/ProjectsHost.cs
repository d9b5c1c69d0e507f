using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.Projects;

/// <summary>
/// A real database (SQLite file or PostgreSQL) with the engine, the kernel and the projects part, the shipped
/// engineering tender procedure deployed with the engineering-construction slice's handlers, a province with two cities (one with a county), and market entities
/// the test users act for.
/// </summary>
public sealed class ProjectsHost : IAsyncDisposable
{
    public static readonly PartyRef School = new(Guid.NewGuid(), "演示市第一中学");
    public static readonly PartyRef Hospital = new(Guid.NewGuid(), "演示县人民医院");
    public static readonly PartyRef Agency = new(Guid.NewGuid(), "演示招标代理有限公司");

    private ProjectsHost(TradingDatabaseHost database, TradingCentre province, TradingCentre city, TradingCentre county, TradingCentre otherCity)
    {
        Database = database;
        Province = province;
        City = city;
        County = county;
        OtherCity = otherCity;
    }

    public TradingDatabaseHost Database { get; }

    public TradingCentre Province { get; }

    public TradingCentre City { get; }

    public TradingCentre County { get; }

    public TradingCentre OtherCity { get; }

    public ProjectService Projects => Database.Services.GetRequiredService<ProjectService>();

    public IWorkflowEngine Engine => Database.Services.GetRequiredService<IWorkflowEngine>();

    public static async Task<ProjectsHost> StartAsync(DatabaseProvider provider, TimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        var database = await TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.AddWorkflowEngine();
            services.AddWorkingDayCalendar();
            services.AddSingleton<IProjectParties>(new Parties([School, Hospital, Agency]));
            services.AddSingleton<IPlatformDirectory, Centres>();
            services.AddSingleton<IUserDirectory, NoAccounts>();
            services.AddEngineeringConstruction();
            configure?.Invoke(services);
        }, time);

        var province = TradingCentre.CreateProvince("T-PROV", "测试省中心", "Test province centre");
        var city = TradingCentre.Create("T-CITY", "测试市中心", "Test city centre", CentreLevel.Prefecture, province);
        var county = TradingCentre.Create("T-COUNTY", "测试县中心", "Test county centre", CentreLevel.County, city);
        var otherCity = TradingCentre.Create("T-CITY2", "测试二市中心", "Second test city centre", CentreLevel.Prefecture, province);
        await using (var db = database.Database.Create())
        {
            // The centres table belongs to the web's schema, which this host does not run.
            await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.PostgreSql
                ? """CREATE TABLE "TradingCentres" ("Id" uuid PRIMARY KEY, "Code" varchar(32) NOT NULL, "NameZh" varchar(200) NOT NULL, "NameEn" varchar(200) NOT NULL, "Level" integer NOT NULL, "ParentId" uuid NULL, "IsDemo" boolean NOT NULL)"""
                : """CREATE TABLE "TradingCentres" ("Id" TEXT PRIMARY KEY, "Code" TEXT NOT NULL, "NameZh" TEXT NOT NULL, "NameEn" TEXT NOT NULL, "Level" INTEGER NOT NULL, "ParentId" TEXT NULL, "IsDemo" INTEGER NOT NULL)""");
            db.AddRange(province, city, county, otherCity);
            await db.SaveChangesAsync();
        }

        var engine = database.Services.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.ParseFile(ShippedProcedure("engineering-construction", "engineering-tender.bpmn")));
        return new ProjectsHost(database, province, city, county, otherCity);
    }

    /// <summary>Stores a letter of authorisation (a small PDF) as the project form does, straight to the file store; its SHA-256.</summary>
    public async Task<string> StoreLetterAsync(string text = "委托代理授权书")
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("%PDF-1.4\n" + text + "\n%%EOF\n");
        var stored = await Database.Services.GetRequiredService<Trading.Workflow.Domain.Documents.IFileStore>().SaveAsync(new MemoryStream(bytes), "letter.pdf", Trading.Workflow.Domain.Documents.FilePolicy.Scans);
        return stored.Sha256;
    }

    public static ProjectActor Tenderee(TradingCentre centre, string userId = "tenderee", params PartyRef[] actsFor) =>
        new(userId, [PlatformRoles.Tenderee], centre.Id, actsFor.Length == 0 ? [School] : actsFor);

    public static ProjectActor Staff(TradingCentre centre, string userId = "staff") => new(userId, [PlatformRoles.Staff], centre.Id, []);

    public static ProjectInput Input(PartyRef? owner = null, string name = "演示学校教学楼新建工程", params SectionEdit[] sections) => new(
        TradeTypes.EngineeringConstruction, TradeMethods.OpenTender, name, (owner ?? School).EntityId, null, null, true, "530102", "房屋建筑",
        sections.Length > 0
            ? sections
            : [new SectionEdit(null, new SectionDraft("一标段：主体结构", 5_000_000m, 100_000m, DepositForms.Transfer | DepositForms.ElectronicGuarantee)),
               new SectionEdit(null, new SectionDraft("二标段：室外工程", 1_200_000m))]);

    /// <summary>A file of the repository's <c>workflows/</c> folder, found by walking up from the test's folder.</summary>
    private static string ShippedProcedure(string tradeType, string file)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "workflows", tradeType, file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"workflows/{tradeType}/{file} not found above {AppContext.BaseDirectory}.");
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();

    /// <summary>No accounts: the projects' own tests act through <see cref="ProjectActor"/>s.</summary>
    private sealed class NoAccounts : IUserDirectory
    {
        public Task<UserAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken = default) => Task.FromResult<UserAccount?>(null);

        public Task<IReadOnlyList<UserAccount>> FindByAccountIdsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([]);

        public Task<IReadOnlyList<UserAccount>> InRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([]);
    }

    /// <summary>The web's directory as the access rules need it here: the centre tree from the database.</summary>
    private sealed class Centres(ITradingDatabase database) : IPlatformDirectory
    {

        public async Task<IReadOnlyList<Guid>> ParentsOfAsync(Guid centreId, CancellationToken cancellationToken = default)
        {
            var all = await AllAsync(cancellationToken);
            var parents = new List<Guid>();
            for (var parent = all.GetValueOrDefault(centreId)?.ParentId; parent is { } id && !parents.Contains(id); parent = all.GetValueOrDefault(id)?.ParentId)
            {
                parents.Add(id);
            }

            return parents;
        }

        public async Task<IReadOnlyList<Guid>> WithDescendantsAsync(Guid centreId, CancellationToken cancellationToken = default)
        {
            var all = await AllAsync(cancellationToken);
            var found = new List<Guid> { centreId };
            for (var i = 0; i < found.Count; i++)
            {
                found.AddRange(all.Values.Where(c => c.ParentId == found[i]).Select(c => c.Id));
            }

            return found;
        }

        private async Task<Dictionary<Guid, TradingCentre>> AllAsync(CancellationToken cancellationToken)
        {
            await using var db = database.Create();
            return await db.Set<TradingCentre>().AsNoTracking().ToDictionaryAsync(c => c.Id, cancellationToken);
        }
    }

    /// <summary>The market part's answers: every listed entity verified, each user acting for what its actor says.</summary>
    private sealed class Parties(IReadOnlyList<PartyRef> verified) : IProjectParties
    {
        public Task<IReadOnlyList<PartyRef>> ActingForAsync(string identityUserId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<PartyRef>>([]);

        public Task<PartyRef?> FindVerifiedAsync(Guid entityId, CancellationToken cancellationToken = default) =>
            Task.FromResult(verified.FirstOrDefault(p => p.EntityId == entityId));

        public Task<IReadOnlyList<PartyRef>> SearchVerifiedAsync(string text, int take, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<PartyRef>>([.. verified.Where(p => p.Name.Contains(text, StringComparison.Ordinal)).Take(take)]);
    }
}
