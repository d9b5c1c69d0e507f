using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Web.Bidding;

namespace Trading.Workflow.Web.Grants;

/// <summary>A grant's winner is named publicly by its 出让结果公示 (<see cref="GrantService.WinnerNamePublic"/>).</summary>
public sealed class GrantWinnerDisclosure(GrantService grants) : IWinnerDisclosure
{
    public async Task<bool?> WinnerPublicAsync(LotRecord lot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lot);
        return await grants.FindByLotAsync(lot.Id, cancellationToken) is { } offering ? GrantService.WinnerNamePublic(offering) : null;
    }
}
