using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Deposits;

/// <summary>
/// Demo deposits: one engineering section of the demo city centre that asks a deposit (transfer or e-guarantee), and
/// the demo bidder's sub-account for it when the bidder acts for a verified company. Labelled demo data. With the mock
/// bank on, the bidder (or staff) pays at /demo/bank and sees the payment arrive.
/// </summary>
public sealed class DepositsDemoData(DepositService deposits, IBasicAccountLookup entities, TimeProvider time) : IDemoDataStep
{
    /// <summary>After market entities (100) and projects (200).</summary>
    public int Order => 300;

    /// <summary>The demo section's id, fixed so the demo and its documentation can point at it.</summary>
    public static readonly Guid SectionId = new("5d0e0000-0000-4000-8000-00000000de01");

    public async Task SeedAsync(DemoDataContext demo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(demo);
        var centre = await demo.CentreAsync(DemoDataSeeder.DemoCityCode, cancellationToken);
        var year = time.GetUtcNow().Year;
        var projectCode = ProjectCode.Format(centre.Code, TradeTypes.EngineeringConstruction, year, 90001);
        var terms = new SectionTerms(
            SectionId, ProjectCode.Section(projectCode, 1), "施工一标段（演示数据）", new Guid("5d0e0000-0000-4000-8000-00000000de00"), projectCode,
            "城市道路改造工程（演示数据）", centre.Id, TradeTypes.EngineeringConstruction, 20_000m,
            DepositForms.Transfer | DepositForms.ElectronicGuarantee, "演示市城市建设投资有限公司（演示数据）",
            DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(120));
        await deposits.ConfigureSectionAsync(terms, "demo", cancellationToken);

        // The demo bidders' verified companies (market demo data) get their sub-accounts; none when that data is absent.
        var bidder = await demo.UserAsync("bidder");
        foreach (var entity in await entities.EntitiesOfUserAsync(bidder.Id, cancellationToken))
        {
            await deposits.OpenAccountAsync(SectionId, entity.EntityId, entity.Name, "demo", cancellationToken);
        }
    }
}
