using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Domain.Grants;

/// <summary>
/// A land or mineral grant's own records in its project's archive (registered once by <c>AddGrants()</c> for both
/// slices), beside what the archive packs for every project (the issued 成交确认书, the notices — 出让公告, 流拍, 终止,
/// 结果 —, the documents such as a 终止申请函, the deposit ledgers, the trail and the engine history):
/// <c>records/grant-offering.json</c> (the offering as submitted and its notices; never the reserve),
/// <c>records/grant-applications.json</c> (每份竞买申请 and its 资格审查 decision, with the admissions the bidding engine
/// recorded), <c>records/bid-logs/NN-&lt;lot&gt;.json</c> (each lot of the offering's section: every entry with its time,
/// bidder number and bidder, amount, acceptance and hash chain, and what <see cref="BidLogVerifier"/> found replaying
/// it) and <c>records/grant-result.json</c> (sold with the confirmation and both signatures, 流拍 with its reason,
/// terminated or withdrawn, and the termination requests).
/// </summary>
internal sealed class GrantArchiveRecords(BidLogStore lots) : IArchiveRecords
{
    public async Task AddAsync(ArchivePackageWriter package, TradingDbContext db, Project project, CancellationToken cancellationToken)
    {
        var offering = await db.Set<GrantOffering>().AsNoTracking().FirstOrDefaultAsync(o => o.ProjectId == project.Id, cancellationToken);
        if (offering is null)
        {
            return;
        }

        await package.AddJsonAsync("grant-offering.json", new
        {
            offering.Id, offering.ProjectCode, offering.TradeType, offering.RegionCode, offering.Title, offering.OwnerEntityId, offering.OwnerName,
            Mode = offering.Mode.ToString(), offering.Parcel, offering.StartPrice, offering.Increment, offering.Deposit, offering.PriceCap, offering.AllowedMultiples,
            offering.HasReserve, offering.ApplicationDeadline, offering.BiddingOpens, offering.BiddingEnds, offering.DemoSchedule, offering.LotId,
            Stage = offering.Stage.ToString(), offering.CreatedAt, offering.CreatedBy, offering.SubmittedAt,
            notice = new { offering.NoticeId, offering.NoticePublishedAt },
            returned = offering.ReturnedAt is null ? null : new { offering.ReturnReason, offering.ReturnedAt, offering.ReturnedBy },
        }, $"grant-offering:{offering.Id}", cancellationToken);

        var applications = await db.Set<GrantApplication>().AsNoTracking().Where(a => a.OfferingId == offering.Id).ToListAsync(cancellationToken);
        var sectionLots = (await lots.ListLotsAsync(offering.SectionId, cancellationToken)).OrderBy(l => l.CreatedAt).ToList();
        var bidders = new Dictionary<Guid, IReadOnlyList<LotBidder>>();
        foreach (var lot in sectionLots)
        {
            bidders[lot.Id] = await lots.BiddersAsync(lot.Id, cancellationToken);
        }

        await package.AddJsonAsync("grant-applications.json", new
        {
            applications = applications.OrderBy(a => a.AppliedAt).Select(a => new
            {
                a.Id, a.EntityId, a.EntityName, a.AppliedAt, a.AppliedBy, State = a.State.ToString(), a.DecidedAt, a.DecidedBy, a.Reason, a.BidderNumber,
            }),
            admissions = sectionLots.SelectMany(l => bidders[l.Id]).Select(b => new { b.LotId, b.Number, b.EntityId, b.EntityName, b.AdmittedAt, b.AdmittedBy }),
        }, $"grant-applications:{offering.Id}", cancellationToken);

        var number = 0;
        foreach (var lot in sectionLots)
        {
            number++;
            var log = await lots.ReadLogAsync(lot.Id, 0, cancellationToken);
            var names = bidders[lot.Id].ToDictionary(b => b.Number, b => b.EntityName);
            await package.AddJsonAsync($"bid-logs/{number:00}-{lot.Id:N}.json", new
            {
                lot = new { lot.Id, lot.Title, Mode = lot.Mode.ToString(), Phase = lot.Phase.ToString(), lot.CreatedAt, lot.CreatedBy, lot.LastSequence, lot.LastHash, Current = lot.Id == offering.LotId },
                verification = BidLogVerifier.Verify(log),
                entries = log.Select(e => new
                {
                    e.Sequence, Kind = e.Kind.ToString(), e.At, e.BidderNumber,
                    Bidder = e.BidderNumber is { } n ? names.GetValueOrDefault(n) : null,
                    e.Amount, e.Accepted, e.Reason, e.Data, e.PreviousHash, e.Hash,
                }),
            }, $"bid-log:{lot.Id}", cancellationToken);
        }

        var requests = await db.Set<GrantTerminationRequest>().AsNoTracking().Where(r => r.OfferingId == offering.Id).ToListAsync(cancellationToken);
        await package.AddJsonAsync("grant-result.json", new
        {
            Stage = offering.Stage.ToString(),
            offering.ClosedAt,
            sold = offering.WinnerEntityId is null ? null : new
            {
                offering.WinnerEntityId, offering.WinnerName, offering.WinnerNumber, offering.Price, offering.ResultDueAt,
                confirmation = new
                {
                    IssuedId = offering.ConfirmationId, DocumentId = offering.ConfirmationDocumentId,
                    grantor = new { SignedAt = offering.GrantorSignedAt, SignedBy = offering.GrantorSignedBy },
                    winner = new { SignedAt = offering.WinnerSignedAt, SignedBy = offering.WinnerSignedBy },
                    offering.IsSigned,
                },
                offering.DepositConvertedAt,
                result = new { NoticeId = offering.ResultNoticeId, PublishedAt = offering.ResultPublishedAt, OverdueAt = offering.ResultOverdueAt },
            },
            noSale = offering.NoSaleReason is null ? null : new { Reason = offering.NoSaleReason, NoticeId = offering.NoSaleNoticeId },
            terminated = offering.TerminatedAt is null ? null : new { Reason = offering.TerminationReason, At = offering.TerminatedAt, By = offering.TerminatedBy, NoticeId = offering.TerminationNoticeId },
            withdrawn = offering.WithdrawnAt is null ? null : new { Reason = offering.WithdrawReason, At = offering.WithdrawnAt, By = offering.WithdrawnBy },
            terminationRequests = requests.OrderBy(r => r.RequestedAt).Select(r => new
            {
                r.RequestedBy, r.RequestedAs, r.Reason, r.LetterDocumentId, r.RequestedAt, r.CompletedAt, r.Outcome, r.FailedAttempts, r.LastError,
            }),
        }, $"grant-result:{offering.Id}", cancellationToken);
    }
}
