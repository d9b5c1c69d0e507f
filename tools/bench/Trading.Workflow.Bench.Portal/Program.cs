using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;

// Public portal benchmark (issue 11, point 5): seeds published notices (Chinese titles and bodies built from a
// vocabulary of project words, 6 trade types, 12 centres, 30 regions, two years of publication dates) through the
// real mapping and the real search index, then times the portal's own queries (NoticePortal): the newest page, a deep
// page, filtered lists, and Chinese full-text searches with and without filters. p50/p95 over --queries runs each.
//
//   dotnet run -c Release --project tools/bench/Trading.Workflow.Bench.Portal -- \
//       [--provider sqlite|postgres|both] [--pg "Host=...;Username=postgres"] [--notices 100000] [--queries 200]
// PostgreSQL: --pg or TRADING_TEST_PG (an admin connection string; a database is created and dropped).

var notices = int.Parse(Arg("--notices", "100000"), System.Globalization.CultureInfo.InvariantCulture);
var queries = int.Parse(Arg("--queries", "200"), System.Globalization.CultureInfo.InvariantCulture);
var pgAdmin = Arg("--pg", Environment.GetEnvironmentVariable("TRADING_TEST_PG") ?? string.Empty);
var providers = Arg("--provider", "both") switch
{
    "sqlite" => new[] { DatabaseProvider.Sqlite },
    "postgres" => [DatabaseProvider.PostgreSql],
    _ => string.IsNullOrEmpty(pgAdmin) ? [DatabaseProvider.Sqlite] : [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql],
};

foreach (var provider in providers)
{
    await using var target = await BenchTarget.CreateAsync(provider, pgAdmin);
    Console.WriteLine($"== {provider} ({target.Description}), {notices:N0} published notices, {queries} runs per query");
    var seeded = Stopwatch.StartNew();
    var centres = await Seed.RunAsync(target.Database, notices);
    Console.WriteLine($"seeded in {seeded.Elapsed.TotalSeconds:F1} s ({notices / seeded.Elapsed.TotalSeconds:F0} notices/s incl. sanitising and indexing)");
    var portal = target.Services.GetRequiredService<NoticePortal>();
    var june = NoticePortal.Dates(new NoticeFilter(), new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30));
    var cases = new (string Name, PortalQuery Query)[]
    {
        ("list, newest page", new PortalQuery(null, new NoticeFilter())),
        ("list, page 200", new PortalQuery(null, new NoticeFilter(), Page: 200)),
        ("list by trade type", new PortalQuery(null, new NoticeFilter(TradeType: TradeTypes.GovernmentProcurement))),
        ("list by centre + trade type", new PortalQuery(null, new NoticeFilter(TradeType: TradeTypes.EngineeringConstruction, CentreId: centres[3]))),
        ("list by region + month", new PortalQuery(null, june with { RegionCode = Seed.Regions[7] })),
        ("search 道路 (common word)", new PortalQuery("道路", new NoticeFilter())),
        ("search 道路改造 (3 pairs)", new PortalQuery("道路改造", new NoticeFilter())),
        ("search 污水 + trade type", new PortalQuery("污水", new NoticeFilter(TradeType: TradeTypes.EngineeringConstruction))),
        ("search 体育馆 (rare)", new PortalQuery("体育馆", new NoticeFilter())),
        ("search 工程 (most notices)", new PortalQuery("工程", new NoticeFilter())),
        ("search 工程 + kind", new PortalQuery("工程", new NoticeFilter(Kind: NoticeKind.Result))),
        ("search 工程 + centre + month", new PortalQuery("工程", june with { CentreId = centres[5] })),
        ("search 工程, page 100", new PortalQuery("工程", new NoticeFilter(), Page: 100)),
    };
    foreach (var (name, query) in cases)
    {
        var first = await portal.SearchAsync(query); // warm-up, and the sizes to report
        var times = new List<double>(queries);
        for (var i = 0; i < queries; i++)
        {
            var watch = Stopwatch.StartNew();
            await portal.SearchAsync(query);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        double Percentile(double p) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(p * times.Count) - 1)];
        Console.WriteLine($"{name,-30} total {first.Total,7:N0}{(first.TotalCapped ? "+" : " ")} page {first.Items.Count,3}: p50 {Percentile(0.50),7:F2} ms  p95 {Percentile(0.95),7:F2} ms  max {times[^1],7:F2} ms");
    }
}

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

internal static class Seed
{
    public static readonly string[] Regions = [.. Enumerable.Range(0, 30).Select(i => $"44{i / 10 + 1:00}{i % 10:00}")];

    private static readonly string[] Places = ["城东", "城西", "滨江", "高新区", "开发区", "北湖", "南山", "临港", "新城", "老城区", "工业园", "东湖"];
    private static readonly string[] Subjects =
    [
        "城市道路改造工程", "污水处理厂扩建工程", "学校教学楼新建工程", "人民医院门诊楼装修工程", "体育馆维修工程", "河道综合整治工程",
        "办公设备采购项目", "信息化系统建设项目", "公交车辆采购项目", "物业管理服务项目", "绿化养护服务项目", "医疗设备采购项目",
        "国有建设用地使用权", "采矿权", "国有股权转让", "排污权", "桥梁加固工程", "供水管网改造工程", "安置房建设工程", "垃圾转运站建设工程",
    ];

    private static readonly string[] Sentences =
    [
        "本项目已由有关部门批准建设，资金已落实，具备招标条件，现进行公开招标。",
        "投标人须具备独立法人资格及相应资质，具有良好的商业信誉和健全的财务会计制度。",
        "招标文件在交易平台免费下载，投标人应在投标截止时间前递交加密的电子投标文件。",
        "开标将在交易中心开标室进行，投标人可远程参加开标并在线解密。",
        "本次采购不接受联合体投标，供应商不得存在违法失信记录。",
        "保证金以银行转账或电子保函形式提交，未中标人的保证金在合同签订后五日内退还。",
        "出让宗地的规划条件、土地现状及竞买须知详见出让文件。",
        "如有疑问，请在规定时间内通过平台提出，招标人将以澄清公告形式答复。",
    ];

    /// <summary>Seeds <paramref name="count"/> published notices in batches; returns the centres used.</summary>
    public static async Task<Guid[]> RunAsync(ITradingDatabase database, int count)
    {
        var random = new Random(20261202);
        var centres = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToArray();
        var types = TradeTypes.Registrable;
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        const int batch = 2000;
        for (var done = 0; done < count; done += batch)
        {
            await using var db = database.Create();
            await using var tx = await db.Database.BeginTransactionAsync();
            var created = new List<Notice>();
            for (var i = done; i < Math.Min(count, done + batch); i++)
            {
                var subject = Subjects[random.Next(Subjects.Length)];
                var place = Places[random.Next(Places.Length)];
                var type = types[random.Next(types.Count)];
                var project = NoticeProject.Create(Guid.NewGuid(), $"{TradeTypes.Abbreviation(type)}-2026-{i:000000}", centres[random.Next(centres.Length)],
                    type, Regions[random.Next(Regions.Length)], $"{place}{subject}");
                var body = string.Concat(Enumerable.Range(0, 6).Select(_ => $"<p>{Sentences[random.Next(Sentences.Length)]}</p>"))
                    + $"<p>项目名称：{place}{subject}；项目编号：{project.ProjectCode}。</p>";
                // Notices are published one after another over two years, as on a running platform (the search index keys
                // them in publication order), each at a random minute of its own slot.
                var slot = 2 * 365 * 24 * 60.0 / count;
                var published = start.AddMinutes(Math.Floor(i * slot + random.NextDouble() * slot));
                var kind = (NoticeKind)random.Next(0, 8);
                var notice = Notice.Draft(project, kind, $"{place}{subject}{(kind == NoticeKind.Result ? "结果公告" : "公告")}", body, [], "bench-tenderee", published);
                notice.SubmitForReview("bench-tenderee", published);
                notice.Publish("bench-staff", published);
                db.Add(notice);
                created.Add(notice);
            }

            await db.SaveChangesAsync();
            foreach (var notice in created)
            {
                await NoticeSearchIndex.AddAsync(db, notice);
            }

            await tx.CommitAsync();
        }

        await using (var db = database.Create())
        {
            // Fresh statistics, as a running installation has them.
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database,
                NoticeSearchIndex.IsPostgreSql(db) ? "ANALYZE" : "ANALYZE; PRAGMA optimize;");
        }

        return centres;
    }
}

internal sealed class BenchTarget : IAsyncDisposable
{
    private readonly string? _file;
    private readonly string? _pgAdmin;
    private readonly string? _pgName;

    private BenchTarget(ServiceProvider services, string description, string? file, string? pgAdmin, string? pgName)
    {
        Services = services;
        Description = description;
        _file = file;
        _pgAdmin = pgAdmin;
        _pgName = pgName;
    }

    public ServiceProvider Services { get; }

    public ITradingDatabase Database => Services.GetRequiredService<ITradingDatabase>();

    public string Description { get; }

    public static async Task<BenchTarget> CreateAsync(DatabaseProvider provider, string pgAdmin)
    {
        string connectionString, description;
        string? file = null, pgName = null;
        if (provider == DatabaseProvider.Sqlite)
        {
            file = Path.Combine(Path.GetTempPath(), $"tw-portal-bench-{Guid.NewGuid():N}.db");
            connectionString = $"Data Source={file}";
            description = $"file {file}";
        }
        else
        {
            pgName = "tw_portal_bench_" + Guid.NewGuid().ToString("N")[..12];
            await using (var connection = new NpgsqlConnection(pgAdmin))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"CREATE DATABASE \"{pgName}\"", connection);
                await command.ExecuteNonQueryAsync();
            }

            connectionString = new NpgsqlConnectionStringBuilder(pgAdmin) { Database = pgName, Pooling = true }.ConnectionString;
            description = $"database {pgName}";
        }

        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = provider;
            o.ConnectionString = connectionString;
        });
        services.AddTradingKernel();
        services.AddSingleton<IFileStore>(new DataFolderFileStore(Path.Combine(Path.GetTempPath(), "tw-portal-bench-files")));
        var provided = services.BuildServiceProvider();
        await provided.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync();
        await provided.GetRequiredService<TradingSchema>().UpgradeAsync();
        return new BenchTarget(provided, description, file, pgName is null ? null : pgAdmin, pgName);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_file is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" })
            {
                File.Delete(path);
            }
        }

        if (_pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_pgAdmin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_pgName}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
