using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// Demo only (<see cref="IDemoTimerDate"/>): the engineering tender's dates its procedure reads again when the timer
/// fires, and waits again for while they are ahead, move to now when the demo fires the timer early — the bid deadline
/// (<c>${bidDeadline}</c>, read by <c>tenderDeadlineState</c>; every section's sealed-bid window follows it; the opening
/// timer reads <c>${openingAt}</c>, which is the deadline unless an opening time was announced after a late answer to an
/// objection, and then that time moves instead, <c>engineering-construction.tender.demo-opening-now</c>) and the end
/// of the candidates' publicity (<c>${publicityEndsAt}</c>, read by <c>engineering.awardState</c>). Recorded as
/// <c>engineering-construction.tender.demo-deadline-now</c> and <c>engineering-construction.publicity.demo-ended</c>.
/// The sale's start (<c>${saleStartsAt}</c>) moves to now too (<c>engineering-construction.tender.demo-sale-started</c>):
/// its handler does not wait on it, but a bidder's download does, and was refused until the real start although the
/// tender showed the sale on (after a prequalification too). The prequalification's application deadline
/// (<c>${pqApplicationDeadline}</c>) moves to now (<c>engineering-construction.tender.demo-applications-closed</c>): the
/// review it opens is refused while applications are still taken. The other timers' handlers do not wait on a date (reminders, escalations, the sale's end,
/// the evaluation's start), so firing them early needs nothing moved.
/// </summary>
public sealed class EngineeringDemoTimerDates(ITradingDatabase database, IAuditTrail trail, SealedBidService sealedBids, TimeProvider clock) : IDemoTimerDate
{
    public async Task<bool> MoveToNowAsync(DemoTimer timer, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.DateVariable is not (TenderVariables.BidDeadline or TenderVariables.OpeningAt or TenderVariables.SaleStartsAt
                or TenderVariables.PrequalificationApplicationDeadline or AwardVariables.PublicityEndsAt)
            || timer.BusinessKey is not { } code)
        {
            return false;
        }

        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await TenderService.FindByCodeAsync(db, code, cancellationToken) is not { } tender)
        {
            return false;
        }

        await DemoDates.RequireDemoCentreAsync(db, tender.CentreId, tender.ProjectCode, cancellationToken);
        var now = clock.GetUtcNow();
        var moved = timer.DateVariable switch
        {
            TenderVariables.BidDeadline => await DeadlineAsync(db, tender, actor, timer.ElementId, now, cancellationToken),
            TenderVariables.OpeningAt when tender.AnnouncedOpening is null => await DeadlineAsync(db, tender, actor, timer.ElementId, now, cancellationToken),
            TenderVariables.OpeningAt => await OpeningAsync(db, tender, actor, timer.ElementId, now, cancellationToken),
            TenderVariables.SaleStartsAt => await SaleStartAsync(db, tender, actor, timer.ElementId, now, cancellationToken),
            TenderVariables.PrequalificationApplicationDeadline => await ApplicationsCloseAsync(db, tender, actor, timer.ElementId, now, cancellationToken),
            _ => await PublicityAsync(db, tender, actor, timer.ElementId, now, cancellationToken),
        };
        if (moved)
        {
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        return moved;
    }

    private async Task<bool> DeadlineAsync(TradingDbContext db, Tender tender, string actor, string elementId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = new { saleEndsAt = tender.SaleEndsAt, bidDeadline = tender.BidDeadline };
        if (!tender.DeadlineNowForDemo(now))
        {
            return false;
        }

        foreach (var sectionId in await db.Set<Section>().AsNoTracking().Where(s => s.ProjectId == tender.ProjectId).Select(s => s.Id).ToListAsync(cancellationToken))
        {
            await sealedBids.SetDeadlineAsync(db, sectionId, now, actor, cancellationToken);
        }

        await trail.AppendAsync(db, TenderService.Record(actor, tender, "tender.demo-deadline-now", new
        {
            demo = true, timer = elementId, before, saleEndsAt = tender.SaleEndsAt, bidDeadline = tender.BidDeadline,
        }), cancellationToken);
        return true;
    }

    private async Task<bool> OpeningAsync(TradingDbContext db, Tender tender, string actor, string elementId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = tender.OpeningAt;
        if (!tender.OpeningNowForDemo(now))
        {
            return false;
        }

        await trail.AppendAsync(db, TenderService.Record(actor, tender, "tender.demo-opening-now", new
        {
            demo = true, timer = elementId, before, openingAt = tender.OpeningAt,
        }), cancellationToken);
        return true;
    }

    private async Task<bool> SaleStartAsync(TradingDbContext db, Tender tender, string actor, string elementId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = tender.SaleStartsAt;
        if (!tender.SaleStartsNowForDemo(now))
        {
            return false;
        }

        await trail.AppendAsync(db, TenderService.Record(actor, tender, "tender.demo-sale-started", new
        {
            demo = true, timer = elementId, before, saleStartsAt = tender.SaleStartsAt,
        }), cancellationToken);
        return true;
    }

    private async Task<bool> ApplicationsCloseAsync(TradingDbContext db, Tender tender, string actor, string elementId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = tender.PrequalificationApplicationDeadline;
        if (!tender.ApplicationsCloseNowForDemo(now))
        {
            return false;
        }

        await trail.AppendAsync(db, TenderService.Record(actor, tender, "tender.demo-applications-closed", new
        {
            demo = true, timer = elementId, before, applicationDeadline = tender.PrequalificationApplicationDeadline,
        }), cancellationToken);
        return true;
    }

    private async Task<bool> PublicityAsync(TradingDbContext db, Tender tender, string actor, string elementId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var award = await db.Set<TenderAward>().FirstOrDefaultAsync(a => a.ProjectId == tender.ProjectId, cancellationToken);
        var before = award?.PublicityEndsAt;
        if (award is null || !award.EndPublicityForDemo(now))
        {
            return false;
        }

        await trail.AppendAsync(db, AwardService.Record(actor, award, "publicity.demo-ended", new
        {
            demo = true, timer = elementId, before, publicityEndsAt = award.PublicityEndsAt,
        }), cancellationToken);
        return true;
    }
}
