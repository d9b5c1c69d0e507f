using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Domain.Tests.SealedBids;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// A real database with the engine, the kernel and the engineering-construction slice; the shipped
/// <c>engineering-tender.bpmn</c> deployed; four verified market entities (the tenderee and three bidders, each with one
/// user); a clock the test moves. The opening part's <c>openingStart</c>/<c>openingClose</c> are stood in for by
/// <see cref="OpeningDouble"/>, which reports the bid count the test sets and a 30-minute decryption window.
/// </summary>
public sealed class TenderHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8)); // Mon 2 Nov 2026

    private readonly string _files;

    private TenderHost(TradingDatabaseHost database, TenderClock clock, string files)
    {
        Database = database;
        Clock = clock;
        _files = files;
    }

    public TradingDatabaseHost Database { get; }

    public TenderClock Clock { get; }

    public IServiceProvider Services => Database.Services;

    public IWorkflowEngine Engine => Services.GetRequiredService<IWorkflowEngine>();

    public TenderService Tenders => Services.GetRequiredService<TenderService>();

    public MarketEntity Owner { get; private set; } = null!;

    public IReadOnlyList<MarketEntity> Bidders { get; private set; } = [];

    public OpeningDouble Opening => Services.GetRequiredService<OpeningDouble>();

    public static TenderActor Tenderee => new("tenderee", "tenderee", [PlatformRoles.Tenderee], null);

    public static TenderActor Bidder(int i) => new("bidder" + i, "bidder" + i, [PlatformRoles.Bidder], null);

    /// <summary>
    /// Starts the host; <paramref name="configure"/> adds the parts a test needs beyond the slice. With
    /// <paramref name="realOpening"/> the opening part's own <c>openingStart</c>/<c>openingClose</c> run on real sealed
    /// bids (<see cref="SealAndSubmitAsync"/>) instead of the stand-ins.
    /// </summary>
    public static async Task<TenderHost> StartAsync(DatabaseProvider provider, Action<IServiceCollection>? configure = null, bool realOpening = false)
    {
        var clock = new TenderClock(Start);
        var files = Path.Combine(Path.GetTempPath(), "tw-tender-files-" + Guid.NewGuid().ToString("N"));
        var database = await TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.AddWorkflowEngine();
            services.AddWorkingDayCalendar();
            services.AddSingleton(new DocumentStorage(files));
            services.AddEngineeringConstruction();
            // The procedure names the expert draw's and the evaluation's handlers: deploying it needs them registered.
            services.AddExperts();
            services.AddEvaluation();
            if (realOpening)
            {
                configure?.Invoke(services);
                return;
            }

            // The opening part's own handlers count real sealed bids (its tests cover them); these tests stand in for them
            // to choose the bid count, so the real registrations make way for the stand-ins of the same names.
            for (var i = services.Count - 1; i >= 0; i--)
            {
                if (services[i].ImplementationInstance is { } registration && registration.GetType().Name == "HandlerRegistration"
                    && registration.GetType().GetProperty("HandlerType")?.GetValue(registration) is Type type
                    && (type == typeof(Trading.Workflow.Domain.Openings.OpeningStartHandler) || type == typeof(Trading.Workflow.Domain.Openings.OpeningCloseHandler)))
                {
                    services.RemoveAt(i);
                }
            }

            services.AddSingleton<OpeningDouble>();
            services.AddServiceTaskHandler<OpeningStartDouble>();
            services.AddServiceTaskHandler<OpeningCloseDouble>();
            configure?.Invoke(services);
        }, clock);
        var host = new TenderHost(database, clock, files);
        host.Owner = await host.VerifiedEntityAsync("演示市城市建设投资有限公司", "tenderee", 1);
        host.Bidders = [
            await host.VerifiedEntityAsync("演示建设工程有限公司", "bidder1", 2),
            await host.VerifiedEntityAsync("演示第二建筑有限公司", "bidder2", 3),
            await host.VerifiedEntityAsync("演示第三建筑有限公司", "bidder3", 4)];
        await host.Engine.DeployAsync(BpmnParser.ParseFile(ShippedProcedure("engineering-tender.bpmn")));
        return host;
    }

    /// <summary>A submitted open (or invited) tender project with its sections (one by default) and its running procedure.</summary>
    public async Task<(Project Project, Guid InstanceId)> StartProjectAsync(int sequence, string method = TradeMethods.OpenTender, int sections = 1, Guid? centreId = null)
    {
        var code = ProjectCode.Format("530100", TradeTypes.EngineeringConstruction, 2026, sequence);
        var project = Project.Register(code, centreId ?? Guid.NewGuid(), TradeTypes.EngineeringConstruction,
            new ProjectDetails(method, "演示市政道路改造工程（演示数据）", new PartyRef(Owner.Id, Owner.Name), null, null, true, "530102", "市政"),
            [.. Enumerable.Range(1, sections).Select(i => new SectionDraft(sections == 1 ? "施工" : $"施工{i}标", 5_000_000m, 100_000m, DepositForms.Transfer))],
            "tenderee", Clock.GetUtcNow());
        await using (var draft = Database.Database.Create())
        {
            draft.Add(project);
            await draft.SaveChangesAsync();
        }

        var instance = await Engine.StartAsync(new StartInstanceRequest("engineering-construction.engineering-tender")
        {
            BusinessKey = code,
            UserId = "tenderee",
            Variables = new Dictionary<string, object?> { ["projectCode"] = code, ["projectName"] = project.Name },
            BeforeCommit = async (transaction, info, ct) =>
            {
                var db = Database.Database.For(transaction);
                var submitted = await db.Set<Project>().FirstAsync(p => p.Id == project.Id, ct);
                submitted.Submit("engineering-construction.engineering-tender", info.Id, Clock.GetUtcNow());
                await db.SaveChangesAsync(ct);
            },
        });
        return (project, instance.Id);
    }

    /// <summary>A trading centre of demo data (or not), for the demo-only actions.</summary>
    public Task<Guid> CentreAsync(bool isDemo) => TestCentres.AddAsync(Database.Database, Database.Provider, isDemo);

    /// <summary>Registers a bidding key for bidder <paramref name="index"/> (0-based) the way <c>/bids/key</c> does.</summary>
    public async Task<SealedBidsHost.Bidder> BidderKeyAsync(int index)
    {
        var pair = Sm2.GenerateKeyPair();
        var user = "bidder" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Services.GetRequiredService<SealedBidService>().RegisterKeyAsync(Bidders[index].Id, pair.PublicKeyHex, user);
        return new SealedBidsHost.Bidder(user, Bidders[index].Id, pair);
    }

    /// <summary>Seals (SM4, SM2-wrapped key, SM2 signature) and submits a bid as the browser does.</summary>
    public async Task SealAndSubmitAsync(Guid projectId, Guid sectionId, SealedBidsHost.Bidder bidder, string price)
    {
        var (submission, _) = await SealedBidsHost.SealAsync(Services.GetRequiredService<DocumentService>(), projectId, sectionId, bidder, 1, price);
        await Services.GetRequiredService<SealedBidService>().SubmitAsync(submission, bidder.User);
    }

    public async Task<Guid> UploadAsync(Guid projectId, string name)
    {
        var documents = Services.GetRequiredService<DocumentService>();
        var bytes = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + name + "\n%%EOF\n");
        var document = await documents.UploadAsync(new MemoryStream(bytes), name, new DocumentScope(null, projectId), new DocumentActor("tenderee", [PlatformRoles.Tenderee], null));
        return document.Id;
    }

    public async Task PublishNoticeAsync(Project project, NoticeKind kind = NoticeKind.Tender)
    {
        await using var db = Database.Database.Create();
        var notice = Notice.Draft(NoticeProject.Create(project.Id, project.Code, project.CentreId, project.TradeType, project.RegionCode, project.Name),
            kind, "招标公告（演示数据）", "<p>招标公告</p>", [], "tenderee", Clock.GetUtcNow());
        notice.SubmitForReview("tenderee", Clock.GetUtcNow());
        notice.Publish("staff", Clock.GetUtcNow());
        db.Add(notice);
        await db.SaveChangesAsync();
    }

    /// <summary>Moves the clock and fires what came due, as the Quartz scheduler does.</summary>
    public async Task AdvanceToAsync(DateTimeOffset instant)
    {
        Clock.Set(instant);
        await Engine.FireDueTimersAsync(instant);
    }

    public async Task<IReadOnlyList<string>> OpenTaskElementsAsync(Guid instanceId) =>
        [.. (await Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Select(t => t.ElementId).Order()];

    private async Task<MarketEntity> VerifiedEntityAsync(string name, string user, int serial)
    {
        var market = Services.GetRequiredService<MarketEntityService>();
        var first17 = "9153010000000" + serial.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        var code = first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
        var profile = EntityProfile.Create(EntityKind.Organisation, name, code, "张三", "演示市演示路1号", "530102",
            new BankAccount("演示银行", name, "6222 0000 1111 " + serial.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)), [],
            [new Contact("李四", "13800000000", null)], DateOnly.FromDateTime(Start.Date), "530102198001010007");
        var entity = await market.RegisterAsync(EntityKind.Organisation, profile, new MarketActor(user));
        return await market.ApproveAsync(entity.Id, entity.Version, new MarketActor("staff", Guid.NewGuid()));
    }

    private static string ShippedProcedure(string file)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "workflows", "engineering-construction", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"workflows/engineering-construction/{file} not found above {AppContext.BaseDirectory}.");
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(_files, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

/// <summary>The clock the tender tests move by hand.</summary>
public sealed class TenderClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now.ToUniversalTime();

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset now) => _now = now.ToUniversalTime();
}

/// <summary>What the test's stand-in for the opening part reports and saw.</summary>
public sealed class OpeningDouble
{
    public int BidCount { get; set; } = 3;

    public List<string> Calls { get; } = [];
}

/// <summary>Stands in for the opening part's <c>openingStart</c> (registered by that part in the application).</summary>
public sealed class OpeningStartDouble(OpeningDouble opening, TimeProvider clock) : IServiceTaskHandler
{
    public string Name => "openingStart";

    public string Description => "test stand-in";

    public ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        opening.Calls.Add(Name);
        context.SetVariable("bidCount", opening.BidCount);
        context.SetVariable("retender", opening.BidCount < 3);
        context.SetVariable("decryptionWindowEnds", clock.GetUtcNow().AddMinutes(30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        return ValueTask.CompletedTask;
    }
}

public sealed class OpeningCloseDouble(OpeningDouble opening) : IServiceTaskHandler
{
    public string Name => "openingClose";

    public string Description => "test stand-in";

    public ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        opening.Calls.Add(Name);
        return ValueTask.CompletedTask;
    }
}
