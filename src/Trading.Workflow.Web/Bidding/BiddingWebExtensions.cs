using Microsoft.Extensions.Logging;
using Trading.Workflow.Domain.Bidding;

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

/// <summary>Polls the lots whose timer is due on every node (<see cref="BiddingTimer"/>).</summary>
internal sealed class BiddingTimerWorker(BiddingTimer timer, BiddingEngine engine, Microsoft.Extensions.Options.IOptions<BiddingOptions> options, TimeProvider time, ILogger<BiddingTimerWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Once per start: lots shelved before shelving was logged show as shelved (their next command would do it).
            await engine.ShelveStoppedLotsAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not needed for safety: a lot still to record is recorded ahead of its next command.
            logger.LogWarning(e, "Recording lots shelved before shelving was logged failed; each is recorded at its next command");
        }

        using var ticks = new PeriodicTimer(options.Value.TimerInterval, time);
        while (await ticks.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await timer.RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database blip: the due rows are still due at the next tick (BiddingTimer logs per lot).
                logger.LogWarning(e, "Reading the due lots failed; retried at the next tick");
            }
        }
    }
}

/// <summary>PostgreSQL only: LISTEN for other nodes' commits (<see cref="PostgresBidListener"/>).</summary>
internal sealed class BiddingListenerWorker(PostgresBidListener listener, BidFeed feed, Microsoft.Extensions.Options.IOptions<BiddingOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        feed.PublishInterval = options.Value.PublishInterval;
        return listener.RunAsync(stoppingToken);
    }
}
