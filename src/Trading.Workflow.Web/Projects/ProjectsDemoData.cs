using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Market;

namespace Trading.Workflow.Web.Projects;

/// <summary>
/// The demo province's second centre and its projects: a demo county centre below the demo city with its own staff
/// (<c>staff2</c>) and tenderee (<c>tenderee2</c>, acting for a verified demo hospital), and one demo project per trade
/// type that has a procedure so far — an engineering construction open tender of the demo <c>tenderee</c>'s city
/// investment company in the demo city, with two sections, submitted so its procedure runs (the tenderee's first
/// task waits in the inbox) — and a draft the demo <c>agency</c> registered for the same company with its authorisation
/// letter, for the agency to finish and submit. Everything is labelled demo data. Runs after the market's demo entities.
/// </summary>
public sealed partial class ProjectsDemoData(
    ProjectService projects, IProjectParties parties, MarketEntityService market, Trading.Workflow.Domain.Documents.IFileStore files,
    ILogger<ProjectsDemoData> logger) : IDemoDataStep
{
    public const string Suffix = "（演示数据）";

    /// <summary>The demo project's supervising department (行政监督部门), the employer of the demo expert <c>expert10</c>.</summary>
    public const string DemoSupervisingDepartment = "演示市住房和城乡建设局" + Suffix;
    public const string DemoCountyCode = "DEMO-COUNTY";
    public const string CountyHospital = "演示县人民医院" + Suffix;

    /// <summary>The demo city's submitted engineering project (its sections ask deposits, configured on submission).</summary>
    public const string DemoProjectName = "演示市第一中学教学楼新建工程" + Suffix;

    /// <summary>The demo agency's draft for the demo tenderee's company.</summary>
    public const string DemoAgencyProjectName = "演示市第二中学运动场改造工程" + Suffix;

    /// <summary>The demo hospital's credit code: a GB 32100-valid code with the demo "MA6DEM" sequence.</summary>
    public static string CountyHospitalCode { get; } = "91530125MA6DEM901" + UnifiedSocialCreditCode.CheckCharacter("91530125MA6DEM901");

    public int Order => 200;

    public async Task SeedAsync(DemoDataContext demo, CancellationToken cancellationToken)
    {
        var county = await demo.EnsureCentreAsync(
            DemoCountyCode, "演示县公共资源交易中心（演示数据）", "Demo County Public Resource Trading Centre (demo data)",
            CentreLevel.County, DemoDataSeeder.DemoCityCode, cancellationToken);
        var staff2 = await demo.EnsureUserAsync("staff2", "演示县交易中心工作人员", PlatformRoles.Staff, county.Id, cancellationToken);
        var tenderee2 = await demo.EnsureUserAsync("tenderee2", "演示县招标人", PlatformRoles.Tenderee, county.Id, cancellationToken);
        await EnsureHospitalAsync(tenderee2, staff2, cancellationToken);

        var tenderee = await demo.UserAsync("tenderee");
        var actsFor = await parties.ActingForAsync(tenderee.Id, cancellationToken);
        if (actsFor.Count == 0 || tenderee.CentreId is not { } cityId)
        {
            LogNoOwner(tenderee.UserName!);
            return;
        }

        var actor = new ProjectActor(tenderee.UserName!, [PlatformRoles.Tenderee], cityId, actsFor);
        var project = await projects.RegisterAsync(actor, new ProjectInput(
            TradeTypes.EngineeringConstruction, TradeMethods.OpenTender, DemoProjectName, actsFor[0].EntityId, null, null,
            StateFunded: true, "530102", "房屋建筑工程",
            [
                new SectionEdit(null, new SectionDraft("一标段：教学楼主体结构施工" + Suffix, 8_600_000m, 160_000m, DepositForms.Transfer | DepositForms.ElectronicGuarantee)),
                new SectionEdit(null, new SectionDraft("二标段：室外配套及绿化工程" + Suffix, 1_350_000m, 25_000m, DepositForms.Transfer | DepositForms.BankGuarantee | DepositForms.ElectronicGuarantee)),
            ],
            // The department supervising this building works tender: the expert draw avoids its staff (expert10).
            SupervisingDepartmentName: DemoSupervisingDepartment), cancellationToken);
        project = await projects.SubmitAsync(actor, project.Id, project.Revision, cancellationToken);
        LogProject(project.Code, project.ProcessInstanceId);
        await SeedAgencyDraftAsync(demo, cityId, actsFor[0].EntityId, cancellationToken);
    }

    /// <summary>The demo agency's own work: a draft it registered for the tenderee's company, its letter stored.</summary>
    private async Task SeedAgencyDraftAsync(DemoDataContext demo, Guid cityId, Guid ownerEntityId, CancellationToken cancellationToken)
    {
        var agency = await demo.UserAsync("agency");
        var agencyFor = await parties.ActingForAsync(agency.Id, cancellationToken);
        if (agencyFor.Count == 0)
        {
            LogNoOwner(agency.UserName!);
            return;
        }

        var letter = await files.SaveAsync(
            new MemoryStream(MarketDemoData.DemoScan("DEMO DATA - not a real letter of authorisation")), "招标代理授权委托书（演示数据）.pdf",
            Trading.Workflow.Domain.Documents.FilePolicy.Scans, cancellationToken);
        var actor = new ProjectActor(agency.UserName!, [PlatformRoles.Tenderee], cityId, agencyFor);
        var draft = await projects.RegisterAsync(actor, new ProjectInput(
            TradeTypes.EngineeringConstruction, TradeMethods.OpenTender, DemoAgencyProjectName, ownerEntityId, agencyFor[0].EntityId, letter.Sha256,
            StateFunded: true, "530102", "房屋建筑工程",
            [new SectionEdit(null, new SectionDraft("运动场及看台改造施工" + Suffix, 2_400_000m, 45_000m, DepositForms.Transfer | DepositForms.ElectronicGuarantee))],
            SupervisingDepartmentName: DemoSupervisingDepartment, AgencyLetterName: letter.Name), cancellationToken);
        LogAgencyDraft(draft.Code);
    }

    /// <summary>The county tenderee's hospital, registered by it and verified by the county's staff.</summary>
    private async Task EnsureHospitalAsync(AppUser tenderee2, AppUser staff2, CancellationToken cancellationToken)
    {
        if (await market.IsIdentifierRegisteredAsync(CountyHospitalCode, cancellationToken))
        {
            return;
        }

        var profile = EntityProfile.Create(
            EntityKind.Organisation, CountyHospital, CountyHospitalCode, "周院长", "演示县演示镇演示路9号" + Suffix, "530125",
            new BankAccount("演示银行演示县支行" + Suffix, CountyHospital, "6222000000009901"), [],
            [new Contact("演示县招标人", "0871-00000009", "tenderee2@demo.invalid")], market.Today, MarketDemoData.DemoResidentId("530125", 906));
        var entity = await market.RegisterAsync(EntityKind.Organisation, profile, new MarketActor(tenderee2.Id), cancellationToken);
        await market.ApproveAsync(entity.Id, entity.Version, new MarketActor(staff2.Id, staff2.CentreId), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No demo project: the demo account {UserName} acts for no verified entity or has no centre")]
    private partial void LogNoOwner(string userName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo project {Code} submitted, its procedure runs as instance {InstanceId}")]
    private partial void LogProject(string code, Guid? instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo agency draft {Code} registered")]
    private partial void LogAgencyDraft(string code);
}
