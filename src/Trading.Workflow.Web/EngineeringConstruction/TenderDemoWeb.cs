using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Web.EngineeringConstruction;

/// <summary>
/// The web side of <see cref="TenderDemoSchedule"/>: offered to staff of a demo centre on its demo projects, never in
/// Production (refused on the server whatever the page shows).
/// </summary>
public sealed class TenderDemoWeb(TenderDemoSchedule schedule, ITradingDatabase database, IHostEnvironment environment)
{
    /// <summary>Whether this user is offered the demo schedule of <paramref name="tender"/>.</summary>
    public async Task<bool> IsOfferedAsync(ClaimsPrincipal principal, Tender tender, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tender);
        if (environment.IsProduction() || tender.Stage is not (TenderStage.Preparing or TenderStage.OnSale or TenderStage.BidsOpen) || !tender.IsScheduled
            || !TenderWeb.Actor(principal).IsStaffOf(tender.CentreId))
        {
            return false;
        }

        await using var db = database.Create();
        return await db.Set<TradingCentre>().AsNoTracking().Where(c => c.Id == tender.CentreId).Select(c => c.IsDemo).FirstOrDefaultAsync(cancellationToken);
    }

    public Task<Tender> CompressAsync(ClaimsPrincipal principal, Guid projectId, TimeSpan sale, TimeSpan untilDeadline, CancellationToken cancellationToken = default)
    {
        if (environment.IsProduction())
        {
            throw new DomainRuleException(TenderDemoRules.DemoOnly, "The demo schedule is refused in Production.");
        }

        return schedule.CompressAsync(projectId, sale, untilDeadline, TenderWeb.Actor(principal), cancellationToken);
    }
}
