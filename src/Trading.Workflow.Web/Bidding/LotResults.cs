using System.Security.Claims;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Bidding;

/// <summary>
/// A trade slice's answer, for the lots it put up, to whether the winner's identity is public yet. Land and mineral
/// rights name the winner in the 出让结果公示 staff publish after the sale; until then the public and the other bidders
/// see the outcome, the price and the winning bidder number (as on the auction floor), not the name. Register any number
/// (<c>services.AddScoped&lt;IWinnerDisclosure, MyDisclosure&gt;()</c>); the first answer counts. Null: not one of this
/// slice's lots (a lot no slice answers for names its winner with the result, as a standalone lot always did).
/// </summary>
public interface IWinnerDisclosure
{
    Task<bool?> WinnerPublicAsync(LotRecord lot, CancellationToken cancellationToken = default);
}

/// <summary>
/// The one place that decides who reads a closed lot's winner by name: the result page, its API and the slices' pages
/// ask here. Before the slice's publicity only the parties entitled to it: staff of the lot's project's centre or a
/// centre above it, the project's supervisors, the owner (the grantor, who signs the deal confirmation naming the winner)
/// and the winner's own users.
/// </summary>
public sealed class LotResults(BiddingEngine engine, IEnumerable<IWinnerDisclosure> slices, IProjectAuthorization projects)
{
    private const ProjectParty EntitledBeforePublicity =
        ProjectParty.CentreStaff | ProjectParty.ParentCentreStaff | ProjectParty.Supervisor | ProjectParty.Owner;

    /// <summary>The result once the lot is closed (null before: nothing of a running sale is public beyond its room), as the user may read it.</summary>
    public async Task<LotResult?> OfAsync(ClaimsPrincipal user, Guid lotId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var lot = await engine.Store.FindLotAsync(lotId, cancellationToken);
        if (lot is not { Phase: LotPhase.Closed })
        {
            return null;
        }

        var verification = await engine.VerifyAsync(lotId, cancellationToken);
        var outcome = verification.Valid ? verification.Outcome : verification.RecordedOutcome;
        var winner = outcome?.WinnerNumber is { } number ? (await engine.Store.BiddersAsync(lotId, cancellationToken)).FirstOrDefault(b => b.Number == number) : null;
        var named = winner is not null && await MaySeeWinnerAsync(user, lot, winner.EntityId, cancellationToken);
        return new LotResult(lotId, lot.Title, outcome?.Sold == true, outcome?.WinnerNumber, named ? winner!.EntityName : null, outcome?.Price, outcome?.NoSaleReason,
            outcome?.Reserve, verification.Entries, lot.LastHash, verification.Valid, verification.FirstBadSequence, WinnerWithheld: winner is not null && !named);
    }

    /// <summary>Whether the user may read the name of the lot's winner (the entity behind the winning number) now.</summary>
    public async Task<bool> MaySeeWinnerAsync(ClaimsPrincipal user, Guid lotId, Guid winnerEntityId, CancellationToken cancellationToken = default) =>
        await engine.Store.FindLotAsync(lotId, cancellationToken) is { } lot && await MaySeeWinnerAsync(user, lot, winnerEntityId, cancellationToken);

    public async Task<bool> MaySeeWinnerAsync(ClaimsPrincipal user, LotRecord lot, Guid winnerEntityId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(lot);
        foreach (var slice in slices)
        {
            if (await slice.WinnerPublicAsync(lot, cancellationToken) is { } isPublic)
            {
                return isPublic || await EntitledAsync(user, lot, winnerEntityId, cancellationToken);
            }
        }

        return true;
    }

    private async Task<bool> EntitledAsync(ClaimsPrincipal user, LotRecord lot, Guid winnerEntityId, CancellationToken cancellationToken)
    {
        if (user.Identity is not { IsAuthenticated: true, Name: { Length: > 0 } name } || lot.ProjectId is not { } projectId
            || await projects.PrincipalAsync(name, WorkflowUser.RolesOf(user), cancellationToken) is not { } principal)
        {
            return false;
        }

        if (principal.EntityIds.Contains(winnerEntityId))
        {
            return true;
        }

        return await projects.ScopeAsync(projectId, cancellationToken) is { } scope && projects.StandingOf(principal, scope).Is(EntitledBeforePublicity);
    }
}
