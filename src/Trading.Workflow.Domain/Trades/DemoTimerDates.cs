using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Trades;

/// <summary>A pending timer of a demo project that staff fire now (the instance viewer's "演示：立即到期").</summary>
/// <param name="DateVariable">The process variable the timer's date is read from when its text is exactly <c>${name}</c>
/// (the date a service task copied from the model), otherwise null.</param>
public sealed partial record DemoTimer(Guid InstanceId, string? BusinessKey, string ProcessId, string ElementId, string? DateVariable, DateTimeOffset Due)
{
    /// <summary>The variable of a timer text that is exactly one variable reference (<c>${publicityEndsAt}</c>), otherwise null.</summary>
    public static string? VariableOf(string? timerText) =>
        timerText is null ? null : SingleVariable().Match(timerText.Trim()) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}$")]
    private static partial Regex SingleVariable();
}

/// <summary>
/// Demo only: a part whose service task reads a date of its model again when its timer fires (and waits again while the
/// date is ahead) moves that date to now, in its own transaction with its trail record, before the timer is fired early;
/// otherwise firing it would only re-arm the same timer. A part recognises its timers by the variable its own handler
/// set for the timer's date (<see cref="DemoTimer.DateVariable"/>), so shared parts need no trade's element ids. The
/// caller has checked the demo project, the user and the environment; each part refuses a project of a centre that is
/// not demo data all the same (<see cref="DemoDates.RequireDemoCentreAsync"/>).
/// </summary>
public interface IDemoTimerDate
{
    /// <summary>Moves the date the timer stands for to now; false when the timer is not this part's or nothing was ahead.</summary>
    Task<bool> MoveToNowAsync(DemoTimer timer, string actor, CancellationToken cancellationToken = default);
}

public static class DemoDates
{
    /// <summary>Only projects of a demo centre (demo data) have their dates moved.</summary>
    public const string DemoOnly = "Trades.DemoOnly";

    public static async Task RequireDemoCentreAsync(TradingDbContext db, Guid centreId, string projectCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!await db.Set<TradingCentre>().AsNoTracking().AnyAsync(c => c.Id == centreId && c.IsDemo, cancellationToken))
        {
            throw new DomainRuleException(DemoOnly, $"{projectCode} is not a demo project: its dates follow the law.");
        }
    }
}
