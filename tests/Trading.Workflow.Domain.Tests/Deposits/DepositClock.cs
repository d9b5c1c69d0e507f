namespace Trading.Workflow.Domain.Tests.Deposits;

/// <summary>A clock the deposit tests move by hand.</summary>
public sealed class DepositClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
