using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Web.Centres;

namespace Trading.Workflow.Web.Bidding;

/// <summary>One labelled line of what is sold (a parcel's location, a mining right's mineral), already in the user's language.</summary>
public sealed record LotFact(string Label, string Value);

/// <summary>
/// What a trade slice says about its lot for the room's heading: the title, the lines that name what is sold, the centre
/// when the slice knows it (else the lot's project's centre is shown), and the page of the offering to go back to.
/// </summary>
public sealed record LotDescription(string Title, IReadOnlyList<LotFact> Facts, string? Href, Guid? CentreId = null);

/// <summary>
/// A trade slice's description of the lots it put up for bidding (the land and mineral-rights grants, state assets …).
/// Register any number (<c>services.AddScoped&lt;ILotDescriber, MyDescriber&gt;()</c>); the room asks them in turn and
/// shows the first answer, so the generic room depends on no slice. Null: not one of this slice's lots.
/// </summary>
public interface ILotDescriber
{
    Task<LotDescription?> DescribeAsync(LotRecord lot, bool english, CancellationToken cancellationToken = default);

    /// <summary>Why a lot was shelved, in the user's language, for a reason code this slice shelves with; null for any other.</summary>
    string? ShelvedBecause(string reason) => null;
}

/// <summary>The room's heading: what is sold, where, and the link back to the offering.</summary>
public sealed record LotHeader(string Title, string? CentreName, IReadOnlyList<LotFact> Facts, string? Href);

/// <summary>
/// Builds a lot's heading from the slices' <see cref="ILotDescriber"/>s, falling back to the title the slice gave the
/// engine when it registered the lot (<see cref="LotDefinition.Title"/>); the centre's name from the directory.
/// </summary>
public sealed class LotHeadings(IEnumerable<ILotDescriber> describers, IProjectAuthorization projects, ICentreDirectory centres)
{
    public async Task<LotHeader> OfAsync(LotRecord lot, bool english, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lot);
        LotDescription? description = null;
        foreach (var describer in describers)
        {
            if ((description = await describer.DescribeAsync(lot, english, cancellationToken)) is not null)
            {
                break;
            }
        }

        var centreId = description?.CentreId;
        if (centreId is null && lot.ProjectId is { } projectId)
        {
            centreId = (await projects.ScopeAsync(projectId, cancellationToken))?.CentreId;
        }

        var centre = centreId is { } id ? (await centres.ListAsync(english, cancellationToken)).FirstOrDefault(c => c.Id == id)?.Name : null;
        return new LotHeader(description?.Title ?? lot.Title, centre, description?.Facts ?? [], description?.Href);
    }

    /// <summary>The first slice's wording of a shelving reason (the Shelved entry's code), or null when no slice knows it.</summary>
    public string? ShelvedBecause(string reason) =>
        describers.Select(d => d.ShelvedBecause(reason)).FirstOrDefault(text => !string.IsNullOrWhiteSpace(text));
}
