using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>Rule codes of the demo schedule.</summary>
public static class TenderDemoRules
{
    /// <summary>Only projects of a demo centre (demo data) may have their dates compressed.</summary>
    public const string DemoOnly = "Tender.DemoOnly";

    /// <summary>The procedure is not waiting for the sale yet: the tenderee's schedule task (and the notice) come first.</summary>
    public const string NotWaiting = "Tender.DemoNotWaiting";

    /// <summary>The minutes asked for are out of range.</summary>
    public const string TimesInvalid = "Tender.DemoTimesInvalid";
}

/// <summary>
/// Demo only: staff of a demo centre compress a demo tender's dates to minutes, so a newcomer can take the demo project
/// from the notice to the opening record in one sitting instead of waiting the statutory 5 and 20 日. It is refused for a
/// project of any centre that is not demo data (the web also refuses it in Production), recorded in the trail as
/// <c>engineering-construction.tender.demo-compressed</c>, and moves the dates the procedure's timers read:
/// before the sale, the sale starts now (the procedure's <c>saleStarts</c> timer is fired, which arms the sale's end and the
/// deadline at the new times); during the sale, the sale ends now (<c>saleEnds</c> fired) and the deadline moves; after
/// the sale, the deadline moves. Every section's sealed-bid window follows the deadline.
/// </summary>
public sealed class TenderDemoSchedule(
    ITradingDatabase database, IAuditTrail trail, SealedBidService sealedBids, IWorkflowEngine engine, TimeProvider clock)
{
    /// <summary>The timer of <c>engineering-tender.bpmn</c> at which the documents go on sale.</summary>
    public const string SaleStartsTimer = "saleStarts";

    /// <summary>The timer of <c>engineering-tender.bpmn</c> at which the sale ends.</summary>
    public const string SaleEndsTimer = "saleEnds";

    public static readonly TimeSpan Longest = TimeSpan.FromHours(24);

    /// <summary>
    /// Compresses the tender of <paramref name="projectId"/>: the sale lasts <paramref name="sale"/> from now (when it has not
    /// started) and the bid deadline is <paramref name="untilDeadline"/> from now.
    /// </summary>
    public async Task<Tender> CompressAsync(Guid projectId, TimeSpan sale, TimeSpan untilDeadline, TenderActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (sale < TimeSpan.FromMinutes(1) || untilDeadline <= sale || untilDeadline > Longest)
        {
            throw new DomainRuleException(TenderDemoRules.TimesInvalid, "The demo sale lasts at least a minute and ends before the deadline, which is at most a day away.");
        }

        TimerInfo? fire;
        Tender tender;
        TenderStage before;
        await using (var db = database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            tender = await TenderService.LoadAsync(db, projectId, cancellationToken);
            if (!actor.IsStaffOf(tender.CentreId))
            {
                throw new DomainRuleException(TenderRules.NotAllowed, $"Only staff of the centre of {tender.ProjectCode} may compress its demo dates.");
            }

            var isDemo = await db.Set<TradingCentre>().AsNoTracking().Where(c => c.Id == tender.CentreId).Select(c => c.IsDemo).FirstOrDefaultAsync(cancellationToken);
            if (!isDemo)
            {
                throw new DomainRuleException(TenderDemoRules.DemoOnly, $"{tender.ProjectCode} is not a demo project: its dates follow the law.");
            }

            var instanceId = await db.Set<Project>().AsNoTracking().Where(p => p.Id == projectId).Select(p => p.ProcessInstanceId).FirstOrDefaultAsync(cancellationToken);
            var timers = instanceId is { } id ? await engine.GetTimersAsync(id, cancellationToken) : [];
            var now = clock.GetUtcNow();
            before = tender.Stage;
            var previous = new { saleStartsAt = tender.SaleStartsAt, saleEndsAt = tender.SaleEndsAt, bidDeadline = tender.BidDeadline };
            switch (tender.Stage)
            {
                case TenderStage.Preparing:
                    fire = timers.FirstOrDefault(t => t.ElementId == SaleStartsTimer)
                        ?? throw new DomainRuleException(TenderDemoRules.NotWaiting, "The procedure does not wait for the sale yet: the tenderee sets the documents and dates, and the tender notice is published, first.");
                    tender.CompressForDemo(now, now + sale, now + untilDeadline, now);
                    break;
                case TenderStage.OnSale:
                    fire = timers.FirstOrDefault(t => t.ElementId == SaleEndsTimer);
                    tender.CompressForDemo(tender.SaleStartsAt < now ? tender.SaleStartsAt : now, now, now + untilDeadline, now);
                    break;
                default:
                    fire = null;
                    tender.CompressForDemo(tender.SaleStartsAt, tender.SaleEndsAt < now ? tender.SaleEndsAt : now, now + untilDeadline, now);
                    break;
            }

            foreach (var sectionId in await db.Set<Section>().AsNoTracking().Where(s => s.ProjectId == projectId).Select(s => s.Id).ToListAsync(cancellationToken))
            {
                await sealedBids.SetDeadlineAsync(db, sectionId, tender.BidDeadline, actor.UserId, cancellationToken);
            }

            await trail.AppendAsync(db, TenderService.Record(actor.UserId, tender, "tender.demo-compressed", new
            {
                demo = true,
                stage = before.ToString(),
                before = previous,
                saleStartsAt = tender.SaleStartsAt,
                saleEndsAt = tender.SaleEndsAt,
                bidDeadline = tender.BidDeadline,
            }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        if (fire is not null)
        {
            try
            {
                await engine.FireTimerAsync(fire.Id, cancellationToken);
            }
            catch (Exception e) when (e is WorkflowNotFoundException or WorkflowConflictException)
            {
                // It fired meanwhile; the procedure read the dates then, or reads them at its next wait.
            }
        }

        if (before != TenderStage.Preparing)
        {
            try
            {
                await engine.CorrelateMessageAsync(new MessageCorrelation(TenderMessages.DeadlineChanged) { BusinessKey = tender.ProjectCode, UserId = actor.UserId, All = true }, cancellationToken);
            }
            catch (WorkflowNotFoundException)
            {
                // Not waiting on the deadline just now (answering objections): it reads the deadline when it comes back.
            }
        }

        await using var read = database.Create();
        return await read.Set<Tender>().AsNoTracking().FirstAsync(t => t.ProjectId == projectId, cancellationToken);
    }
}
