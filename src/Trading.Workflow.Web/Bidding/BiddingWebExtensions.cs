using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Web.Hosting;

namespace Trading.Workflow.Web.Bidding;

public static class BiddingWebExtensions
{
    /// <summary>The bidding room: SignalR, access, the broadcaster, the durable close timer and the PostgreSQL listener.</summary>
    public static IServiceCollection AddBiddingWeb(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddScoped<BiddingAccess>();
        services.AddScoped<BiddingLotAdministration>();
        services.AddScoped<LotHeadings>();
        services.AddScoped<LotResults>();
        services.AddScoped<RoomCircuit>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<RoomCircuit>());
        services.AddSingleton<BiddingBroadcaster>();
        services.AddOptions<BiddingOptions>().BindConfiguration(BiddingOptions.SectionName)
            .Validate(o => o.TimerInterval > TimeSpan.Zero && o.TimerInterval <= TimeSpan.FromSeconds(10), "Bidding:TimerInterval must be between 0 and 10 seconds.")
            .Validate(o => o.PublishInterval >= TimeSpan.Zero && o.PublishInterval <= TimeSpan.FromSeconds(1), "Bidding:PublishInterval must be between 0 and 1 second.")
            .ValidateOnStart();
        services.AddHostedService<BiddingTimerWorker>();
        services.AddHostedService<BiddingListenerWorker>();
        return services;
    }
}

/// <summary>Settings of the bidding room (section <c>Bidding</c>).</summary>
public sealed class BiddingOptions
{
    public const string SectionName = "Bidding";

    /// <summary>How often the durable close timer looks for due lots (default 250 ms). The close itself is decided by the deadline, not by this.</summary>
    public TimeSpan TimerInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The shortest time between two updates of a lot to this node's watchers (default 250 ms): every entry committed
    /// meanwhile goes out in one gap-free update. Bounds the messages per watcher (4 per second) however fast bids come;
    /// sending to a watcher costs mostly per message, so with hundreds of watchers this, not the bytes, sets the load
    /// (docs/bidding.md#figures: 500 watchers on one node, 214 accepted bids/s at 100 ms, 431/s at 250 ms, same load).
    /// </summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>Polls the lots whose timer is due on every node (<see cref="BiddingTimer"/>; it logs per lot).</summary>
internal sealed class BiddingTimerWorker(BiddingTimer timer, BiddingEngine engine, IOptions<BiddingOptions> options, TimeProvider time, ILogger<BiddingTimerWorker> logger)
    : PeriodicWorker(time, logger)
{
    protected override TimeSpan Interval => options.Value.TimerInterval;

    protected override string RoundName => "bidding timer";

    // Once per start: lots shelved before shelving was logged show as shelved (their next command would do it).
    protected override Task BeforeFirstRoundAsync(CancellationToken cancellationToken) => engine.ShelveStoppedLotsAsync(cancellationToken);

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => timer.RunDueAsync(cancellationToken);
}

/// <summary>PostgreSQL only: LISTEN for other nodes' commits (<see cref="PostgresBidListener"/>).</summary>
internal sealed class BiddingListenerWorker(PostgresBidListener listener, BidFeed feed, IOptions<BiddingOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        feed.PublishInterval = options.Value.PublishInterval;
        return listener.RunAsync(stoppingToken);
    }
}
