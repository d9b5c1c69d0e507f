using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Notifications;

/// <summary>Recording, dispatch from the trail, idempotency, delivery states and the read side on SQLite and PostgreSQL.</summary>
public sealed class NotificationPersistenceTests
{
    private const string Action = "tests.thing.approved";

    private static readonly NotificationTemplate Approved = new(
        Action, "市场主体已通过核验：{entity}", "“{entity}”已通过核验。", "Registration verified: {entity}", "\"{entity}\" was verified.",
        [NotificationChannels.Sms]);

    private static Task<TradingDatabaseHost> StartAsync(
        DatabaseProvider provider, Action<IServiceCollection>? configure = null, TimeProvider? time = null) =>
        TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.Replace(ServiceDescriptor.Singleton<INotificationRecipientDirectory, Directory>());
            services.AddNotificationTemplate(Approved);
            services.AddNotificationRule(Action, (context, _) => ValueTask.FromResult<IReadOnlyList<NotificationRequest>>(
            [
                .. (context.Value("users") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries)
                    .Select(u => new NotificationRequest(u, Action, new Dictionary<string, string> { ["entity"] = context.Value("name") ?? "?" }, $"/market/entities/{context.Id("entityId")}")),
            ]));
            configure?.Invoke(services);
        }, time);

    private static async Task AppendAsync(TradingDatabaseHost host, params (string Action, object Data)[] records)
    {
        var trail = host.Services.GetRequiredService<IAuditTrail>();
        await using var db = host.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        foreach (var (action, data) in records)
        {
            await trail.AppendAsync(db, new AuditRecord("staff1", null, "market-entity", "e", action, data));
        }

        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    private static async Task<List<Notification>> NotificationsAsync(TradingDatabaseHost host)
    {
        await using var db = host.Database.Create();
        return await db.Set<Notification>().AsNoTracking().OrderBy(n => n.SourceKey).ThenBy(n => n.UserId).ToListAsync();
    }

    private static async Task<long> CursorAsync(TradingDatabaseHost host)
    {
        await using var db = host.Database.Create();
        return (await db.Set<NotificationCursor>().AsNoTracking().SingleOrDefaultAsync(c => c.Name == NotificationCursor.Trail))?.Position ?? 0;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Dispatch_RecordsANotificationPerRecipientInTheirLanguageAndMovesTheCursor(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        await host.Services.GetRequiredService<NotificationCenter>().SetLanguageAsync("bob", "en-US");
        var entityId = Guid.NewGuid();
        await AppendAsync(host,
            (Action, new { entityId, name = "演示建设有限公司", users = "alice,bob" }),
            ("market.entity.noted", new { entityId }));

        var read = await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();

        Assert.Equal(2, read);
        Assert.Equal(2, await CursorAsync(host));
        var notifications = await NotificationsAsync(host);
        Assert.Collection(
            notifications,
            alice =>
            {
                Assert.Equal(("alice", "trail:1", NotificationLanguage.Chinese), (alice.UserId, alice.SourceKey, alice.Language));
                Assert.Equal("市场主体已通过核验：演示建设有限公司", alice.Title);
                Assert.Equal($"/market/entities/{entityId}", alice.Link);
            },
            bob =>
            {
                Assert.Equal(("bob", NotificationLanguage.English), (bob.UserId, bob.Language));
                Assert.Equal("Registration verified: 演示建设有限公司", bob.Title);
            });
        Assert.Equal(0, await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Dispatch_InterruptedBeforeItsCommit_LosesNothingAndDoublesNothingWhenRunAgain(DatabaseProvider provider)
    {
        var crash = new CrashSwitch();
        await using var host = await StartAsync(provider, services =>
        {
            services.AddSingleton(crash);
            services.AddNotificationRule(Action, (context, _) =>
            {
                // The process "dies" while the batch is being recorded: the exception leaves the transaction uncommitted.
                if (crash.Armed && context.Entry.Sequence == 2)
                {
                    throw new OperationCanceledException("node stopped");
                }

                return ValueTask.FromResult<IReadOnlyList<NotificationRequest>>([]);
            });
        });
        await AppendAsync(host,
            (Action, new { entityId = Guid.NewGuid(), name = "甲公司", users = "alice" }),
            (Action, new { entityId = Guid.NewGuid(), name = "乙公司", users = "alice,bob" }),
            (Action, new { entityId = Guid.NewGuid(), name = "丙公司", users = "carol" }));
        var dispatcher = host.Services.GetRequiredService<TrailNotificationDispatcher>();

        crash.Armed = true;
        await Assert.ThrowsAsync<OperationCanceledException>(() => dispatcher.DispatchAsync());
        Assert.Empty(await NotificationsAsync(host));
        Assert.Equal(0, await CursorAsync(host));

        crash.Armed = false;
        await dispatcher.DispatchAsync();

        Assert.Equal(
            ["trail:1/alice", "trail:2/alice", "trail:2/bob", "trail:3/carol"],
            (await NotificationsAsync(host)).Select(n => $"{n.SourceKey}/{n.UserId}"));
        Assert.Equal(3, await CursorAsync(host));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Dispatch_OfRecordsAlreadyNotified_RecordsNothingTwice(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        await AppendAsync(host, (Action, new { entityId = Guid.NewGuid(), name = "甲公司", users = "alice,bob" }));
        var dispatcher = host.Services.GetRequiredService<TrailNotificationDispatcher>();
        await dispatcher.DispatchAsync();

        // A second node that read the cursor before the first committed processes the same record again.
        await using (var db = host.Database.Create())
        {
            await db.Set<NotificationCursor>().ExecuteUpdateAsync(s => s.SetProperty(c => c.Position, 0L));
        }

        await dispatcher.DispatchAsync();

        Assert.Equal(2, (await NotificationsAsync(host)).Count);
        await using (var db = host.Database.Create())
        {
            Assert.Equal(2, await db.Set<NotificationDelivery>().CountAsync());
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Delivery_RetriesATemporaryFailureThenRecordsItSent_AndAPermanentFailureWithItsReason(DatabaseProvider provider)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
        var sms = new ScriptedChannel(NotificationChannels.Sms);
        await using var host = await StartAsync(provider, services =>
        {
            services.RemoveAll<INotificationChannel>();
            services.AddSingleton<INotificationChannel>(sms);
            services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new NotificationOptions { FirstRetryDelay = TimeSpan.FromMinutes(1), MaxAttempts = 3 }));
        }, clock);
        await AppendAsync(host, (Action, new { entityId = Guid.NewGuid(), name = "甲公司", users = "alice,nophone-bad" }));
        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        var sender = host.Services.GetRequiredService<NotificationDeliverySender>();
        sms.Script("13800000001", ChannelResult.Failed("gateway timeout"));
        sms.Script("13900000000", ChannelResult.Failed("number does not exist", permanent: true));

        Assert.Equal(2, await sender.SendDueAsync());
        Assert.Equal(0, await sender.SendDueAsync()); // the retry is not due yet
        clock.Advance(TimeSpan.FromMinutes(1));
        sms.Script("13800000001", ChannelResult.Sent("gateway-id-42"));
        Assert.Equal(1, await sender.SendDueAsync());

        await using var db = host.Database.Create();
        var deliveries = await db.Set<NotificationDelivery>().AsNoTracking().OrderBy(d => d.Address).ToListAsync();
        Assert.Collection(
            deliveries,
            good =>
            {
                Assert.Equal(("13800000001", DeliveryState.Sent, 2, "gateway-id-42"), (good.Address, good.State, good.Attempts, good.Reference));
                Assert.Null(good.LastError);
            },
            bad => Assert.Equal(("13900000000", DeliveryState.Failed, 1, "number does not exist"), (bad.Address, bad.State, bad.Attempts, bad.LastError)));
        Assert.Equal(["13800000001", "13800000001", "13900000000"], sms.SentTo.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Center_CountsListsAndMarksOnlyTheUsersOwnNotificationsRead(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        await AppendAsync(host,
            (Action, new { entityId = Guid.NewGuid(), name = "甲公司", users = "alice,bob" }),
            (Action, new { entityId = Guid.NewGuid(), name = "乙公司", users = "alice" }));
        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        var center = host.Services.GetRequiredService<NotificationCenter>();
        var changed = new List<string>();
        using var subscription = host.Services.GetRequiredService<NotificationEvents>().Subscribe("alice", () =>
        {
            lock (changed)
            {
                changed.Add("alice");
            }

            return Task.CompletedTask;
        });

        Assert.Equal(2, await center.CountUnreadAsync("alice"));
        var page = await center.ListAsync("alice", unreadOnly: false, skip: 0, take: 10);
        Assert.Equal(2, page.Total);
        Assert.Equal(NotificationChannels.Sms, Assert.Single(page.Items[0].Deliveries).Channel);
        var bobs = Assert.Single((await center.ListAsync("bob", false, 0, 10)).Items);

        Assert.False(await center.MarkReadAsync("alice", bobs.Id));
        Assert.True(await center.MarkReadAsync("alice", page.Items[0].Id));
        Assert.False(await center.MarkReadAsync("alice", page.Items[0].Id));
        Assert.Equal(1, await center.CountUnreadAsync("alice"));
        Assert.Equal(1, (await center.ListAsync("alice", unreadOnly: true, 0, 10)).Total);
        Assert.Equal(1, await center.MarkAllReadAsync("alice"));
        Assert.Equal(0, await center.CountUnreadAsync("alice"));
        Assert.Equal(1, await center.CountUnreadAsync("bob"));
        Assert.Equal(2, changed.Count);
    }

    /// <summary>Phone numbers for everyone but users named "nophone-*", whose number the gateway refuses.</summary>
    private sealed class Directory : INotificationRecipientDirectory
    {
        public ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new NotificationRecipient(userId, NotificationLanguage.Chinese, $"{userId}@example.cn",
                userId.StartsWith("nophone", StringComparison.Ordinal) ? "13900000000" : "13800000001"));

        public ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<string>>([]);
    }

    private sealed class CrashSwitch
    {
        public bool Armed { get; set; }
    }

    private sealed class ScriptedChannel(string name) : INotificationChannel
    {
        private readonly Dictionary<string, Queue<ChannelResult>> _results = [];

        /// <summary>What the gateway answers to the next message to <paramref name="address"/>.</summary>
        public void Script(string address, ChannelResult result)
        {
            if (!_results.TryGetValue(address, out var queue))
            {
                _results[address] = queue = new Queue<ChannelResult>();
            }

            queue.Enqueue(result);
        }

        public List<string> SentTo { get; } = [];

        public string Name => name;

        public ValueTask<ChannelResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
        {
            SentTo.Add(message.Address);
            return ValueTask.FromResult(_results[message.Address].Dequeue());
        }
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
