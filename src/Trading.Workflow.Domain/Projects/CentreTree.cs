using Trading.Workflow.Domain.Centres;

namespace Trading.Workflow.Domain.Projects;

/// <summary>The centres of the province (a few dozen rows), to walk up to a centre's ancestors or down to its descendants.</summary>
internal sealed class CentreTree(IReadOnlyList<TradingCentre> centres)
{
    private readonly Dictionary<Guid, TradingCentre> _byId = centres.ToDictionary(c => c.Id);

    /// <summary>The centre and every centre above it.</summary>
    public IReadOnlyList<Guid> AncestorsOf(Guid centreId)
    {
        var chain = new List<Guid>();
        for (Guid? current = centreId; current is { } id && !chain.Contains(id); current = _byId.GetValueOrDefault(id)?.ParentId)
        {
            chain.Add(id);
        }

        return chain;
    }

    /// <summary>The centre and every centre below it.</summary>
    public List<Guid> SelfAndBelow(Guid centreId) =>
        [.. _byId.Keys.Where(id => AncestorsOf(id).Contains(centreId))];

    public TradingCentre? Find(Guid centreId) => _byId.GetValueOrDefault(centreId);
}
