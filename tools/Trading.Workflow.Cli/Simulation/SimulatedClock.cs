namespace Trading.Workflow.Cli.Simulation;

/// <summary>
/// The scenario's clock: stands still until the runner moves it, so timers fire only when a step says so.
/// Local time zone is fixed by the constructor so working-day timers mean the same on every machine.
/// </summary>
public sealed class SimulatedClock(DateTimeOffset start, TimeZoneInfo? localTimeZone = null) : TimeProvider
{
    private readonly TimeZoneInfo _localTimeZone = localTimeZone ?? TimeZoneInfo.Utc;
    private DateTimeOffset _now = start.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => _localTimeZone;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock forward to <paramref name="to"/>; a time in the past is ignored (time never runs back).</summary>
    public void MoveTo(DateTimeOffset to)
    {
        var utc = to.ToUniversalTime();
        if (utc > _now)
        {
            _now = utc;
        }
    }
}
