using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Centres;

/// <summary>A trading centre as listed in the directory.</summary>
public sealed record CentreRow(Guid Id, string Code, string Name, CentreLevel Level, string? ParentName, bool IsDemo);

/// <summary>What an administrator fills in to add a centre.</summary>
public sealed class NewCentreInput
{
    public string Code { get; set; } = string.Empty;

    public string NameZh { get; set; } = string.Empty;

    public string NameEn { get; set; } = string.Empty;

    public CentreLevel Level { get; set; } = CentreLevel.Prefecture;

    public Guid? ParentId { get; set; }
}

/// <summary>Reads and adds trading centres; the hierarchy rules are the domain's (<see cref="TradingCentre"/>).</summary>
public interface ICentreDirectory
{
    Task<IReadOnlyList<CentreRow>> ListAsync(bool english, CancellationToken cancellationToken = default);

    Task<AccountResult> CreateAsync(NewCentreInput input, CancellationToken cancellationToken = default);
}

public sealed partial class CentreDirectory(AppDbContext db, IStringLocalizer<SharedResource> text, ILogger<CentreDirectory> logger)
    : ICentreDirectory
{
    public async Task<IReadOnlyList<CentreRow>> ListAsync(bool english, CancellationToken cancellationToken = default)
    {
        var centres = await db.TradingCentres.AsNoTracking().ToListAsync(cancellationToken);
        var byId = centres.ToDictionary(c => c.Id);
        return centres
            .OrderBy(c => c.Level).ThenBy(c => c.Code, StringComparer.Ordinal)
            .Select(c => new CentreRow(
                c.Id, c.Code, c.DisplayName(english), c.Level,
                c.ParentId is { } parentId && byId.TryGetValue(parentId, out var parent) ? parent.DisplayName(english) : null,
                c.IsDemo))
            .ToList();
    }

    public async Task<AccountResult> CreateAsync(NewCentreInput input, CancellationToken cancellationToken = default)
    {
        TradingCentre? parent = null;
        if (input.ParentId is { } parentId
            && (parent = await db.TradingCentres.FirstOrDefaultAsync(c => c.Id == parentId, cancellationToken)) is null)
        {
            return AccountResult.Fail(text["Centres.ParentNotFound"]);
        }

        TradingCentre centre;
        try
        {
            centre = TradingCentre.Create(input.Code, input.NameZh, input.NameEn, input.Level, parent);
        }
        catch (DomainRuleException ex)
        {
            return AccountResult.Fail(text[ex.RuleCode]);
        }

        if (await db.TradingCentres.AnyAsync(c => c.Code == centre.Code, cancellationToken))
        {
            return AccountResult.Fail(text["Centres.DuplicateCode", centre.Code]);
        }

        db.TradingCentres.Add(centre);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(centre.Code, centre.Level);
        return AccountResult.Ok;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trading centre {Code} ({Level}) created")]
    private partial void LogCreated(string code, CentreLevel level);
}
