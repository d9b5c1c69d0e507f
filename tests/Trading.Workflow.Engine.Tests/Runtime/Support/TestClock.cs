namespace Trading.Workflow.Engine.Tests.Runtime.Support;

/// <summary>
/// The tests' one clock: it stands still until a test moves it, so timers fire exactly when the test says. Shared by
/// the engine tests and, linked, by the persistence and Quartz tests.
/// </summary>
public sealed class TestClock(DateTimeOffset start, TimeZoneInfo? localTimeZone = null) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start.ToUniversalTime();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override TimeZoneInfo LocalTimeZone => localTimeZone ?? TimeZoneInfo.Utc;

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
            _now = now.ToUniversalTime();
        }
    }
}
