using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Market;
using Trading.Workflow.Web.Warnings;

namespace Trading.Workflow.Web.Credit;

/// <summary>
/// A demo sanction in force, so the supervisors' credit list and the public 信用信息 page show what a record looks like
/// on first load: a third company of the demo account <c>bidder4</c> (which runs the related companies of the demo
/// warnings), labelled demo data, sanctioned by the demo supervisor for collusive bidding with a one-year bar. It takes
/// part in no demo project, so no walk is barred. Idempotent: registered by credit code, recorded once.
/// </summary>
public sealed class CreditDemoData(MarketEntityService market, CreditService credit, ITradingDatabase database) : IDemoDataStep
{
    public const string Company = "演示丙联建筑工程有限公司" + WarningsDemoData.Suffix;
    public const string DecisionNumber = "演示监罚〔2026〕1号" + WarningsDemoData.Suffix;
    public static string CompanyCode { get; } = "91530102MA6DEM909" + UnifiedSocialCreditCode.CheckCharacter("91530102MA6DEM909");

    /// <summary>After the demo warnings (500), whose account runs the company.</summary>
    public int Order => 510;

    public async Task SeedAsync(DemoDataContext demo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(demo);
        await using (var db = database.Create())
        {
            if (await db.Set<CreditRecord>().AnyAsync(r => r.DecisionNumber == DecisionNumber, cancellationToken))
            {
                return;
            }
        }

        var staff = await demo.UserAsync("staff");
        var owner = await demo.EnsureUserAsync(WarningsDemoData.UserName, "演示投标人四（关联公司）", PlatformRoles.Bidder, null, cancellationToken);
        var supervisor = await demo.UserAsync("supervisor");
        var entityId = await EntityIdAsync(cancellationToken);
        if (entityId is null)
        {
            var profile = EntityProfile.Create(
                EntityKind.Organisation, Company, CompanyCode, "钱丙联", "演示市演示区关联路3号" + WarningsDemoData.Suffix, "530102",
                new BankAccount("演示银行演示市分行" + WarningsDemoData.Suffix, Company, "6222000000000909"), [],
                [new Contact("演示投标人四", "0871-00000099", $"{WarningsDemoData.UserName}@demo.invalid")], market.Today,
                MarketDemoData.DemoResidentId("530102", 909));
            var entity = await market.RegisterAsync(EntityKind.Organisation, profile, new MarketActor(owner.Id), cancellationToken);
            await market.ApproveAsync(entity.Id, entity.Version, new MarketActor(staff.Id, staff.CentreId), cancellationToken);
            entityId = entity.Id;
        }

        var decided = credit.Today.AddMonths(-2);
        await credit.RecordAsync(new CreditViewer(supervisor.UserName!, supervisor.Id, [PlatformRoles.Supervisor], supervisor.CentreId), new CreditRecordInput(
            CreditSubjectKind.MarketEntity, entityId.Value, CreditRecordKind.Sanction, CreditCategory.CollusiveBidding,
            "《招标投标法实施条例》第六十七条", DecisionNumber, "与其他投标人相互串通投标（演示数据）。", decided,
            true, decided, decided.AddYears(1).AddDays(-1)), cancellationToken);
    }

    private async Task<Guid?> EntityIdAsync(CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        return await db.Set<MarketEntity>().Where(e => e.Identifier == CompanyCode).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(cancellationToken);
    }
}
