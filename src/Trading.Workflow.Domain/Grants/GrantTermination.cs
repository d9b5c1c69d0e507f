using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Grants;

/// <summary>The grantor's written request to terminate (终止申请函) as uploaded: a PDF, OFD or image scan.</summary>
public sealed record GrantTerminationLetter(Stream Content, string FileName)
{
    /// <summary>What the letter may be: the policy of scans (PDF, OFD, PNG, JPEG, 20 MB), as for other letters.</summary>
    public static FilePolicy Policy => FilePolicy.Scans;
}

/// <summary>The letter as the offering's page lists it (for the grantor, staff of the centre and supervisors).</summary>
public sealed record GrantTerminationLetterView(Guid DocumentId, string Name, string Sm3, long Length, DateTimeOffset UploadedAt, string UploadedBy);

/// <summary>
/// A termination (终止) asked for, written before the lot is called off (<c>tr_grant_termination_requests</c>): who asked
/// and as whom, why, and the letter. Open until <see cref="GrantTerminateHandler"/> completes it with the offering; an
/// open row after a stop between the call-off and the procedure's message is finished by
/// <see cref="GrantService.ResumeTerminationsAsync"/> with what it records.
/// </summary>
public sealed class GrantTerminationRequest
{
    public const string Terminated = "terminated";

    /// <summary>The lot closed with its result before it could be called off: nothing was terminated.</summary>
    public const string Refused = "refused";

    private GrantTerminationRequest()
    {
    }

    public Guid OfferingId { get; private set; }

    public string ProjectCode { get; private set; } = string.Empty;

    public string RequestedBy { get; private set; } = string.Empty;

    /// <summary><c>grantor</c> or <c>staff</c> (<see cref="GrantVariables.TerminatedAs"/>).</summary>
    public string RequestedAs { get; private set; } = string.Empty;

    public string Reason { get; private set; } = string.Empty;

    /// <summary>The 终止申请函 in the document registry; required when staff ask.</summary>
    public Guid? LetterDocumentId { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary><see cref="Terminated"/> or <see cref="Refused"/>; null while open.</summary>
    public string? Outcome { get; private set; }

    public bool IsOpen => CompletedAt is null;

    /// <summary>Rounds of the recovery that failed to complete it (the procedure suspended or in an incident).</summary>
    public int FailedAttempts { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    /// <summary>A request the recovery could not complete: its parties are told on the offering's page.</summary>
    public bool IsStalled => IsOpen && FailedAttempts > 0;

    internal static GrantTerminationRequest Open(GrantOffering offering, string by, string requestedAs, string reason, Guid? letter, DateTimeOffset now) => new()
    {
        OfferingId = offering.Id,
        ProjectCode = offering.ProjectCode,
        RequestedBy = by,
        RequestedAs = requestedAs,
        Reason = reason,
        LetterDocumentId = letter,
        RequestedAt = now,
    };

    /// <summary>A retry by a user takes over an open request (its letter kept when none is given again).</summary>
    internal void Renew(string by, string requestedAs, string reason, Guid? letter, DateTimeOffset now)
    {
        RequestedBy = by;
        RequestedAs = requestedAs;
        Reason = reason;
        LetterDocumentId = letter ?? LetterDocumentId;
        RequestedAt = now;
        CompletedAt = null;
        Outcome = null;
        FailedAttempts = 0;
        LastError = null;
        LastAttemptAt = null;
    }

    /// <summary>Counts a failed round; true for the first, which alone goes in the trail (a round runs every minute).</summary>
    internal bool RecordFailure(string error, DateTimeOffset now)
    {
        FailedAttempts++;
        LastError = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        LastAttemptAt = now;
        return FailedAttempts == 1;
    }

    public const int MaxErrorLength = 500;

    /// <summary>The procedure instance was suspended by an administrator.</summary>
    public const string CauseSuspended = "suspended";

    /// <summary>A step of the procedure is in an incident (<see cref="LastError"/> names the step and its error).</summary>
    public const string CauseIncident = "incident";

    /// <summary>The procedure did not wait for the message (no incident open: a changed model or a manual move).</summary>
    public const string CauseNotWaiting = "not-waiting";

    /// <summary>What stopped it, the part of <see cref="LastError"/> before its first colon: a cause above, a rule code or an exception type.</summary>
    public string? StallCause => LastError?.Split(':', 2)[0];

    internal void Complete(string outcome, DateTimeOffset now)
    {
        CompletedAt = now;
        Outcome = outcome;
    }
}

/// <summary>
/// Who may download a 终止申请函 beyond its uploader, staff of its centre and supervisors: the users acting for the
/// offering's grantor. Bidders and the public never (the letter is not part of the public 终止公告).
/// </summary>
public sealed class GrantDocumentAccess(ITradingDatabase database, IServiceProvider services) : IDocumentAccessRule
{
    public async ValueTask<bool> MayDownloadAsync(DocumentActor actor, Document document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(document);
        if (document.ProjectId is null || !actor.IsInRole(Accounts.PlatformRoles.Tenderee))
        {
            return false;
        }

        Guid? owner;
        await using (var db = database.Create())
        {
            owner = await (from r in db.Set<GrantTerminationRequest>().AsNoTracking()
                           join o in db.Set<GrantOffering>().AsNoTracking() on r.OfferingId equals o.Id
                           where r.LetterDocumentId == document.Id
                           select (Guid?)o.OwnerEntityId).FirstOrDefaultAsync(cancellationToken);
        }

        if (owner is not { } ownerId)
        {
            return false;
        }

        var authorization = (IProjectAuthorization?)services.GetService(typeof(IProjectAuthorization));
        return authorization is not null
            && await authorization.PrincipalAsync(actor.UserName, actor.Roles, cancellationToken) is { } principal
            && principal.EntityIds.Contains(ownerId);
    }
}
