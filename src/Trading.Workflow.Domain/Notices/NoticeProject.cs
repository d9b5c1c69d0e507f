namespace Trading.Workflow.Domain.Notices;

/// <summary>
/// What a notice keeps of its project (一项一码), so the portal filters and groups notices without reading the
/// project: its id and code, the centre that runs it, its trade type and its region (administrative division code).
/// </summary>
public sealed record NoticeProject(Guid ProjectId, string ProjectCode, Guid CentreId, string TradeType, string RegionCode, string ProjectName)
{
    public const int MaxCodeLength = 64;
    public const int MaxRegionLength = 12;

    public static NoticeProject Create(Guid projectId, string projectCode, Guid centreId, string tradeType, string regionCode, string projectName)
    {
        var code = (projectCode ?? string.Empty).Trim();
        var region = (regionCode ?? string.Empty).Trim();
        var name = (projectName ?? string.Empty).Trim();
        if (projectId == Guid.Empty || centreId == Guid.Empty || code.Length is 0 or > MaxCodeLength || string.IsNullOrWhiteSpace(tradeType)
            || region.Length > MaxRegionLength || name.Length is 0 or > Notice.MaxTitleLength)
        {
            throw new DomainRuleException(NoticeRules.ProjectRequired, "A notice belongs to a registered project: its id, code, centre, trade type and name.");
        }

        return new NoticeProject(projectId, code, centreId, tradeType.Trim(), region, name);
    }
}
