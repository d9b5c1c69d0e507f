using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// 条例 22: "作出答复前，应当暂停招标投标活动". While an objection to a project's tender documents is unanswered, its bid
/// opening and its evaluation do not start. Objections are raised against the project's documents (one set for all its
/// sections), so one holds every section of that project and nothing of another.
/// </summary>
public sealed class TenderDocumentsHold : IProcedureHold
{
    public async Task<ProcedureHold?> FindAsync(TradingDbContext db, Guid projectId, Guid? sectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var due = await OpenAnswerDuesAsync(db, projectId, cancellationToken);
        if (due.Count == 0)
        {
            return null;
        }

        var until = due.Max();
        return new ProcedureHold(TenderRules.DocumentsObjectionOpen,
            string.Create(CultureInfo.InvariantCulture,
                $"{due.Count} objection(s) to the tender documents are not answered (answer due {TenderVariables.Instant(until)}); the bid opening and the evaluation wait for the tenderee's answer (条例 22: 作出答复前，应当暂停招标投标活动)."),
            until);
    }

    /// <summary>When each unanswered objection to the project's documents is due for its answer.</summary>
    public static async Task<List<DateTimeOffset>> OpenAnswerDuesAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken) =>
        await db.Set<TenderObjection>().AsNoTracking().Where(o => o.ProjectId == projectId && o.AnsweredAt == null)
            .Select(o => o.AnswerDueAt).ToListAsync(cancellationToken);

    /// <summary>
    /// Whether the tenderee is to announce the opening time: the deadline in force has passed, every objection to the
    /// documents is answered and one of them after that deadline (so the bidders had no notice of an opening), and no
    /// later opening is announced yet. An answer before the deadline leaves the opening at the deadline (法 34).
    /// </summary>
    public static async Task<bool> OpeningToAnnounceAsync(TradingDbContext db, Tender tender, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(tender);
        if (!MayAwaitOpeningTime(tender, now))
        {
            return false;
        }

        var answered = await db.Set<TenderObjection>().AsNoTracking().Where(o => o.ProjectId == tender.ProjectId)
            .Select(o => o.AnsweredAt).ToListAsync(cancellationToken);
        return OpeningToAnnounce(tender, answered, now);
    }

    /// <summary><see cref="OpeningToAnnounceAsync"/> on objections already read (when each was answered; null: open).</summary>
    public static bool OpeningToAnnounce(Tender tender, IReadOnlyCollection<DateTimeOffset?> answeredAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tender);
        ArgumentNullException.ThrowIfNull(answeredAt);
        return MayAwaitOpeningTime(tender, now) && answeredAt.All(a => a is not null) && answeredAt.Any(a => a >= tender.BidDeadline);
    }

    private static bool MayAwaitOpeningTime(Tender tender, DateTimeOffset now) =>
        tender.Stage is TenderStage.OnSale or TenderStage.BidsOpen && now >= tender.BidDeadline && tender.AnnouncedOpening is null;
}
