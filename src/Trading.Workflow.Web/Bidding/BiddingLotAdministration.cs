using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Web.Bidding;

/// <summary>A participant of the lot's section as staff see it when admitting: eligibility problems (rule codes) and whether admitted.</summary>
/// <remarks>The bidder number is not shown to staff: only the bidder sees its own number until the result.</remarks>
public sealed record AdmissionCandidate(Guid EntityId, string EntityName, DepositState Deposit, IReadOnlyList<string> Problems, bool Admitted, DateTimeOffset? AdmittedAt);

/// <summary>An admission as the API answers it (no bidder number: that is the bidder's own).</summary>
public sealed record AdmittedBidder(Guid LotId, Guid EntityId, string EntityName, DateTimeOffset AdmittedAt, string AdmittedBy);

/// <summary>
/// Staff's side of a lot for trade types without their own slice (state assets, environmental rights …): the sections
/// of the staff's centre a lot can be registered for (from the deposits the platform holds: project, centre, the
/// participants), the lot's registration, and the admission of the section's eligible participants. Who may do it is
/// decided by <see cref="BiddingAccess"/>.
/// </summary>
public sealed class BiddingLotAdministration(BiddingEngine engine, ITradingDatabase database, DepositQueries deposits, IBiddingEligibility eligibility)
{
    public async Task<DepositSection?> SectionAsync(Guid sectionId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<DepositSection>().AsNoTracking().SingleOrDefaultAsync(s => s.SectionId == sectionId, cancellationToken);
    }

    /// <summary>The sections of the centre a lot may be registered for.</summary>
    public async Task<IReadOnlyList<DepositSection>> SectionsOfCentreAsync(Guid centreId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var sections = await db.Set<DepositSection>().AsNoTracking().Where(s => s.CentreId == centreId).ToListAsync(cancellationToken);
        return [.. sections.OrderBy(s => s.ProjectCode, StringComparer.Ordinal).ThenBy(s => s.SectionCode, StringComparer.Ordinal)];
    }

    public Task<Guid> CreateAsync(DepositSection section, string title, LotSettings settings, decimal? reserve, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (string.IsNullOrWhiteSpace(title) || title.Length > DepositSection.MaxTextLength)
        {
            throw new DomainRuleException(BiddingRules.SettingsInvalid, "The lot needs a title of at most 200 characters.");
        }

        return engine.CreateLotAsync(new LotDefinition(section.SectionId, section.ProjectId, title.Trim(), settings, reserve), actor, cancellationToken);
    }

    /// <summary>Every participant of the lot's section with its deposit, eligibility and admission.</summary>
    public async Task<IReadOnlyList<AdmissionCandidate>> CandidatesAsync(LotRecord lot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lot);
        if (lot.SectionId is not { } sectionId || await deposits.SectionDepositsAsync(sectionId, cancellationToken) is not { } section)
        {
            return [];
        }

        var admitted = (await engine.Store.BiddersAsync(lot.Id, cancellationToken)).ToDictionary(b => b.EntityId);
        var candidates = new List<AdmissionCandidate>();
        foreach (var participant in section.Participants)
        {
            var problems = await eligibility.ProblemsAsync(sectionId, participant.EntityId, cancellationToken);
            var bidder = admitted.GetValueOrDefault(participant.EntityId);
            candidates.Add(new AdmissionCandidate(participant.EntityId, participant.EntityName, participant.State, problems, bidder is not null, bidder?.AdmittedAt));
        }

        return candidates;
    }

    /// <summary>Admits a participant of the lot's section (the engine checks registration and deposit; the name is the platform's).</summary>
    public async Task<AdmittedBidder> AdmitAsync(Guid lotId, Guid entityId, string actor, CancellationToken cancellationToken = default)
    {
        var lot = await engine.Store.FindLotAsync(lotId, cancellationToken) ?? throw new DomainRuleException(BiddingRules.LotUnknown, $"Lot {lotId} does not exist.");
        var participant = lot.SectionId is { } sectionId && await deposits.SectionDepositsAsync(sectionId, cancellationToken) is { } section
            ? section.Participants.FirstOrDefault(p => p.EntityId == entityId)
            : null;
        if (participant is null)
        {
            throw new DomainRuleException(DepositAndRegistrationEligibility.RegistrationMissing, "The entity takes no part in the lot's section.");
        }

        var bidder = await engine.AdmitAsync(lotId, entityId, participant.EntityName, actor, cancellationToken);
        return new AdmittedBidder(lotId, entityId, bidder.EntityName, bidder.AdmittedAt, bidder.AdmittedBy);
    }
}
