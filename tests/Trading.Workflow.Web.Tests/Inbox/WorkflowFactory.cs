using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>A clock the tests move; the app, engine and inbox all read it.</summary>
public sealed class MovableTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>The real app with its workflow on a fresh SQLite database, on a movable clock, shared by the tests of a class.</summary>
public sealed class WorkflowFactory : IAsyncLifetime
{
    public MovableTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8)));

    public PlatformFactory App { get; private set; } = default!;

    public Task InitializeAsync()
    {
        App = new PlatformFactory(configureServices: services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        _ = App.Server; // start now, so the procedures are deployed before the first test
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}
