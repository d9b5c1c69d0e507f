namespace Trading.Workflow.Engine.Tests.Scenarios.Support;

/// <summary>A clock that moves only when a test moves it, so timers fire exactly when the scenario says.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_lock)
        {
            _now += by;
        }
    }

    public void SetUtcNow(DateTimeOffset now)
    {
        lock (_lock)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(now, _now);
            _now = now;
        }
    }
}
