using Microsoft.AspNetCore.Identity;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Market;

namespace Trading.Workflow.Web.Experts;

/// <summary>
/// The demo expert pool (labelled demo data): the demo account <c>expert</c> and <c>expert1</c>..<c>expert15</c>, with
/// the demo password. Some work or worked for the demo bidders' companies, declare ties to them or work for the demo
/// tenderee or a supervising department, and one is suspended, so a draw for the demo tender (e.g. 4 of 工程类/房屋建筑
/// and 1 of 经济类/工程造价) must avoid them: six of 房屋建筑 and three of 工程造价 remain eligible.
/// </summary>
public sealed class ExpertsDemoData(ExpertPoolService pool) : IDemoDataStep
{
    private const string Suffix = MarketDemoData.Suffix;

    public int Order => 320;

    /// <summary>The demo experts: account, name, title, specialty, employer (name, code), supervising department.</summary>
    public static IReadOnlyList<DemoExpert> Experts { get; } = Build();

    public async Task SeedAsync(DemoDataContext demo, CancellationToken cancellationToken)
    {
        var users = demo.Services.GetRequiredService<UserManager<AppUser>>();
        var staff = await demo.UserAsync("staff");
        var actor = new ExpertsActor(staff.UserName!, staff.Id, [PlatformRoles.Staff], staff.CentreId);
        var today = pool.Today;
        for (var i = 0; i < Experts.Count; i++)
        {
            var item = Experts[i];
            var user = await demo.EnsureUserAsync(item.UserName, item.Name, PlatformRoles.Expert, null, cancellationToken);
            var phone = $"1990000{i:D4}";
            if (user.PhoneNumber != phone)
            {
                user.PhoneNumber = phone;
                await users.UpdateAsync(user);
            }

            if (await pool.MineAsync(new ExpertsActor(item.UserName, user.Id, [PlatformRoles.Expert], null), cancellationToken) is not null)
            {
                continue;
            }

            var past = item.FormerEmployer is { } former
                ? [new PastEmployer(former.Name, former.Code, today.AddYears(-5), today.AddYears(-1))]
                : new List<PastEmployer>();
            var relations = item.Relationship is { } relation
                ? [relation with { DeclaredOn = today.AddMonths(-6) }]
                : new List<DeclaredRelationship>();
            var expert = await pool.RegisterAsync(item.UserName, new ExpertProfile(
                item.Name, phone, item.Title, item.Specialties, new Employer(item.Employer, item.EmployerCode), item.Supervising, past, relations), actor, cancellationToken);
            if (item.Suspended)
            {
                await pool.ChangeStatusAsync(expert.Id, expert.Version, ExpertStatus.Suspended, "年度考核不合格，暂停一年" + Suffix, actor, cancellationToken);
            }
        }
    }

    private static List<DemoExpert> Build()
    {
        var bidder = MarketDemoData.Entities.Single(e => e.UserName == "bidder");
        var bidder2 = MarketDemoData.Entities.Single(e => e.UserName == "bidder2");
        var bidder3 = MarketDemoData.Entities.Single(e => e.UserName == "bidder3");
        var tenderee = MarketDemoData.Entities.Single(e => e.UserName == "tenderee");
        DemoExpert E(string user, string name, string title, string specialty, string employer, string? code = null) =>
            new(user, name + Suffix, title, [specialty], employer, code, false, null, null, false);
        return
        [
            E("expert", "林振华", "正高级工程师", "A0101", "演示建筑设计研究院" + Suffix),
            E("expert1", "周立新", "高级工程师", "A0101", "演示大学土木工程学院" + Suffix),
            E("expert2", "吴海燕", "高级工程师", "A0101", "演示建筑设计研究院" + Suffix),
            E("expert3", "郑晓东", "高级工程师", "A0102", "演示装饰设计有限公司" + Suffix),
            E("expert4", "王丽君", "高级工程师", "A0103", "演示电气设计研究所" + Suffix),
            E("expert5", "冯志强", "高级工程师", "A0104", "演示市政设计院" + Suffix),
            E("expert6", "陈国庆", "高级工程师", "A0101", bidder.Name, bidder.Identifier),
            E("expert7", "褚晓明", "高级工程师", "A0101", "演示工程咨询有限公司" + Suffix) with { FormerEmployer = (bidder3.Name, bidder3.Identifier) },
            E("expert8", "卫红梅", "高级工程师", "A0101", "演示大学建筑学院" + Suffix) with
            {
                Relationship = new DeclaredRelationship(RelationshipKind.Kin, "配偶", bidder.LegalRepresentative!, null, default),
            },
            E("expert9", "蒋文斌", "高级工程师", "A0101", tenderee.Name, tenderee.Identifier),
            E("expert10", "沈建平", "高级工程师", "A0101", "演示市住房和城乡建设局" + Suffix) with { Supervising = true },
            E("expert11", "韩永刚", "高级工程师", "A0101", "演示勘察设计院" + Suffix) with { Suspended = true },
            E("expert12", "杨雪梅", "高级经济师", "B0101", "演示造价咨询有限公司" + Suffix),
            E("expert13", "朱明辉", "注册造价工程师", "B0101", "演示工程造价事务所" + Suffix),
            E("expert14", "秦志远", "注册造价工程师", "B0101", "演示投资咨询有限公司" + Suffix) with
            {
                Relationship = new DeclaredRelationship(RelationshipKind.EconomicInterest, "持股 5%", bidder2.Name, bidder2.Identifier, default),
            },
            E("expert15", "尤佳", "高级会计师", "B0101", "演示会计师事务所" + Suffix) with { Specialties = ["B0101", "B02"] },
        ];
    }
}

/// <summary>One demo expert and the ties that make the draw avoid it.</summary>
public sealed record DemoExpert(
    string UserName, string Name, string Title, IReadOnlyList<string> Specialties, string Employer, string? EmployerCode, bool Supervising,
    (string Name, string Code)? FormerEmployer, DeclaredRelationship? Relationship, bool Suspended);
