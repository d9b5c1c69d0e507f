using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Projects;

namespace Trading.Workflow.Web.Deposits;

/// <summary>
/// Demo deposits: the demo project's sections (<see cref="ProjectsDemoData"/>) got their deposit terms when it was
/// submitted; this step opens the demo bidder's sub-account on its first section when the bidder acts for a verified
/// company. Labelled demo data. With the mock bank on, the bidder (or staff) pays at /demo/bank and sees the payment
/// arrive.
/// </summary>
public sealed partial class DepositsDemoData(
    DepositService deposits, IBasicAccountLookup entities, ITradingDatabase database, ILogger<DepositsDemoData> logger) : IDemoDataStep
{
    /// <summary>After market entities (100) and the submitted demo project (200).</summary>
    public int Order => 300;

    /// <summary>The first deposit section of the submitted demo project, or null when there is no demo project.</summary>
    public static async Task<DepositSection?> DemoSectionAsync(ITradingDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.Create();
        var sections = await db.Set<DepositSection>().AsNoTracking()
            .Where(s => s.ProjectName == ProjectsDemoData.DemoProjectName)
            .ToListAsync(cancellationToken);
        return sections.OrderBy(s => s.ProjectCode, StringComparer.Ordinal).ThenBy(s => s.SectionCode, StringComparer.Ordinal).FirstOrDefault();
    }

    public async Task SeedAsync(DemoDataContext demo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(demo);
        var section = await DemoSectionAsync(database, cancellationToken);
        if (section is null)
        {
            LogNoSection(ProjectsDemoData.DemoProjectName);
            return;
        }

        // The demo bidder's verified companies (market demo data) get their sub-accounts; none when that data is absent.
        var bidder = await demo.UserAsync("bidder");
        foreach (var entity in await entities.EntitiesOfUserAsync(bidder.Id, cancellationToken))
        {
            await deposits.OpenAccountAsync(section.SectionId, entity.EntityId, entity.Name, "demo", cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No demo deposit accounts: the demo project {Name} has no deposit section")]
    private partial void LogNoSection(string name);
}
