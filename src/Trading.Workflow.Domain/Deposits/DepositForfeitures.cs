using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>The statutory grounds on which a bid deposit is not refunded (domain.md §5).</summary>
public enum ForfeitureGround
{
    /// <summary>投标截止后撤销投标文件 (条例 35): the bidder withdrew its bid after the deadline.</summary>
    WithdrawnAfterDeadline,

    /// <summary>中标人无正当理由不与招标人订立合同 / 不按要求提交履约保证金 (条例 74).</summary>
    WinnerRefusedToSign,

    /// <summary>因投标人原因投标文件未解密 (电子招标投标办法 §2): the opening settled the failure as the bidder's fault.</summary>
    BidderDecryptionFailure,
}

/// <summary>A staff decision to keep a deposit: on which ground and why (the reason is shown to the bidder).</summary>
public sealed record ForfeitureRequest(Guid SectionId, Guid EntityId, ForfeitureGround Ground, string Reason);

/// <summary>
/// Forfeiture decided by staff with a reason, after the platform checked the ground against what it holds:
/// <list type="bullet">
/// <item><see cref="ForfeitureGround.BidderDecryptionFailure"/>: the section's opening settled the entity's bid as not
/// decrypted through the bidder's fault;</item>
/// <item><see cref="ForfeitureGround.WithdrawnAfterDeadline"/>: the section's bid deadline has passed and the entity had
/// a bid in the opening (a withdrawal before the deadline is refunded, never forfeited);</item>
/// <item><see cref="ForfeitureGround.WinnerRefusedToSign"/>: the entity is a ranked candidate of the section in the
/// committee's confirmed evaluation report.</item>
/// </list>
/// An archived project's deposits are settled and refused (<see cref="ArchiveRules.ProjectArchived"/>). The ledger
/// records the forfeiture with "ground: reason", the trail <c>deposits.deposit.forfeited</c>, and the bidder is notified.
/// </summary>
public sealed class DepositForfeitures(ITradingDatabase database, DepositService deposits, IServiceProvider services, TimeProvider time)
{
    public const int MinReasonLength = 10;
    public const int MaxReasonLength = 200;

    public async Task<BankInstruction> ForfeitAsync(ForfeitureRequest request, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var reason = (request.Reason ?? string.Empty).Trim();
        if (reason.Length < MinReasonLength || reason.Length > MaxReasonLength)
        {
            throw new DomainRuleException(DepositRules.ForfeitureReasonRequired,
                $"A forfeiture needs a reason of {MinReasonLength} to {MaxReasonLength} characters.");
        }

        if (!Enum.IsDefined(request.Ground))
        {
            throw new DomainRuleException(DepositRules.ForfeitureGroundNotMet, $"'{request.Ground}' is not a ground for forfeiture.");
        }

        await CheckGroundAsync(request, cancellationToken);
        return await deposits.ForfeitAsync(request.SectionId, request.EntityId, Code(request.Ground) + ": " + reason, actor, cancellationToken);
    }

    /// <summary>The code a ground is recorded with in the ledger reference (and read back for display).</summary>
    public static string Code(ForfeitureGround ground) => ground switch
    {
        ForfeitureGround.WithdrawnAfterDeadline => "withdrawn-after-deadline",
        ForfeitureGround.WinnerRefusedToSign => "winner-refused-to-sign",
        ForfeitureGround.BidderDecryptionFailure => "bidder-decryption-failure",
        _ => throw new ArgumentOutOfRangeException(nameof(ground)),
    };

    /// <summary>Splits a forfeiture's ledger reference into its ground (null for one recorded without) and reason.</summary>
    public static (ForfeitureGround? Ground, string Reason) Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        foreach (var ground in Enum.GetValues<ForfeitureGround>())
        {
            var prefix = Code(ground) + ": ";
            if (reference.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (ground, reference[prefix.Length..]);
            }
        }

        return (null, reference);
    }

    private async Task CheckGroundAsync(ForfeitureRequest request, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var section = await db.Set<DepositSection>().AsNoTracking().SingleOrDefaultAsync(s => s.SectionId == request.SectionId, cancellationToken)
            ?? throw new DomainRuleException(DepositRules.SectionUnknown, $"No deposit section {request.SectionId}.");
        await ArchiveGuard.EnsureWritableAsync(db, section.ProjectId, cancellationToken);
        var session = await db.Set<OpeningSession>().AsNoTracking().FirstOrDefaultAsync(s => s.SectionId == request.SectionId, cancellationToken);
        var bid = session is null
            ? null
            : await db.Set<OpeningBid>().AsNoTracking().FirstOrDefaultAsync(b => b.SessionId == session.Id && b.EntityId == request.EntityId, cancellationToken);
        var met = request.Ground switch
        {
            ForfeitureGround.BidderDecryptionFailure => bid is { State: OpeningBidState.Failed, Fault: DecryptFault.Bidder },
            ForfeitureGround.WithdrawnAfterDeadline => session is not null && session.Deadline <= time.GetUtcNow() && bid is not null,
            ForfeitureGround.WinnerRefusedToSign => await IsCandidateAsync(section, request.EntityId, cancellationToken),
            _ => false,
        };
        if (!met)
        {
            throw new DomainRuleException(DepositRules.ForfeitureGroundNotMet, request.Ground switch
            {
                ForfeitureGround.BidderDecryptionFailure => "The opening did not settle this bidder's bid as undecrypted through its own fault.",
                ForfeitureGround.WithdrawnAfterDeadline => "The bid deadline has not passed, or this bidder had no bid at the opening.",
                _ => "This bidder is not a ranked candidate of the section in the confirmed evaluation report.",
            });
        }
    }

    private async Task<bool> IsCandidateAsync(DepositSection section, Guid entityId, CancellationToken cancellationToken)
    {
        if (services.GetService<IEvaluationResults>() is not { } results
            || await results.GetConfirmedReportAsync(section.ProjectId, cancellationToken) is not { } report)
        {
            return false;
        }

        return report.Sections.Where(s => s.SectionId == section.SectionId).SelectMany(s => s.Candidates).Any(c => c.EntityId == entityId);
    }
}
