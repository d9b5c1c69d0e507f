using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Web.Bidding;

namespace Trading.Workflow.Web.Grants;

/// <summary>
/// Names a grant's lot in the bidding room: the offering's title, the parcel's location (and use) for land, the mineral
/// and the kind of right for mineral rights, the offering's centre, and the link back to the offering's page.
/// </summary>
public sealed class GrantLotDescriber(GrantService grants, IStringLocalizer<GrantsResource> text) : ILotDescriber
{
    public async Task<LotDescription?> DescribeAsync(LotRecord lot, bool english, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lot);
        if (await grants.FindByLotAsync(lot.Id, cancellationToken) is not { } offering)
        {
            return null;
        }

        var parcel = offering.Parcel;
        var facts = new List<LotFact> { new(text["Field.Location"], parcel.Location) };
        if (offering.TradeType == TradeTypes.MineralRights)
        {
            var kind = parcel.RightKind is { } k ? text[$"RightKind.{k}"].Value : null;
            facts.Add(new LotFact(text["Field.Mineral"], string.Join(" · ", new[] { parcel.Mineral, kind }.Where(s => !string.IsNullOrWhiteSpace(s)))));
        }
        else
        {
            facts.Add(new LotFact(text["Field.Use"], parcel.Use));
        }

        return new LotDescription(offering.Title, [.. facts.Where(f => !string.IsNullOrWhiteSpace(f.Value))], $"/grants/{offering.Id}", offering.CentreId);
    }

    /// <summary>The grants' shelving reasons (<see cref="GrantLotOpeningGate.NoticeUnpublished"/>, the offering's return, withdrawal...).</summary>
    public string? ShelvedBecause(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (!reason.StartsWith("grants.", StringComparison.Ordinal))
        {
            return null;
        }

        var worded = text[$"Shelved.{reason}"];
        return worded.ResourceNotFound ? null : worded.Value;
    }
}
