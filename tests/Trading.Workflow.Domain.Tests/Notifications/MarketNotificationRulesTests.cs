using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Notifications;

/// <summary>The market's trail actions turned into notifications by the rules the notifications part ships.</summary>
public sealed class MarketNotificationRulesTests : IAsyncLifetime
{
    private readonly string _files = Directory.CreateTempSubdirectory("tw-notify-market-").FullName;
    private TradingDatabaseHost? _host;

    // xUnit 2 disposes a test class through IDisposable or IAsyncLifetime only: IAsyncDisposable alone is never called.
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Directory.Delete(_files, recursive: true);
    }

    private static EntityProfile Profile() =>
        EntityProfile.Create(EntityKind.Organisation, "演示建设集团有限公司", "91350100M000100Y43", "张三", "福州市鼓楼区演示路1号", "350102",
            new BankAccount("演示银行福州分行", "演示建设集团有限公司", "6222000011112222"), [], [new Contact("李四", "13800000000", "li@example.cn")],
            new DateOnly(2026, 12, 2), "350102198001010003");

    private async Task<List<Notification>> DispatchAsync()
    {
        await _host!.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using var db = _host.Database.Create();
        var all = await db.Set<Notification>().AsNoTracking().ToListAsync();
        return [.. all.OrderBy(n => n.SourceKey.Length).ThenBy(n => n.SourceKey, StringComparer.Ordinal).ThenBy(n => n.UserId, StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Registration_Approval_AndAJoiningMember_NotifyStaffAndTheEntitysUsersButNeverTheActor(DatabaseProvider provider)
    {
        _host = await TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.AddSingleton<IFileStore>(new DataFolderFileStore(_files));
            services.Replace(ServiceDescriptor.Singleton<INotificationRecipientDirectory, StaffDirectory>());
        });
        var market = _host.Services.GetRequiredService<MarketEntityService>();
        await _host.Services.GetRequiredService<NotificationCenter>().SetLanguageAsync("user-admin", "en");

        var entity = await market.RegisterAsync(EntityKind.Organisation, Profile(), new MarketActor("user-admin"));
        var submitted = Assert.Single(await DispatchAsync());
        Assert.Equal(("staff1", "market.entity.submitted", $"/market/entities/{entity.Id}"), (submitted.UserId, submitted.Template, submitted.Link));
        Assert.Equal("市场主体待核验：演示建设集团有限公司", submitted.Title);

        entity = await market.ApproveAsync(entity.Id, entity.Version, new MarketActor("staff1"));
        var approved = Assert.Single(await DispatchAsync(), n => n.Template == "market.entity.approved");
        Assert.Equal(("user-admin", NotificationLanguage.English), (approved.UserId, approved.Language));
        Assert.Equal("Market entity verified: 演示建设集团有限公司", approved.Title);

        var (_, token) = await market.InviteAsync(entity.Id, "clerk01", "王会计", asAdministrator: false, new MarketActor("user-admin"));
        await market.AcceptInvitationAsync(token, "user-clerk");
        var joined = Assert.Single(await DispatchAsync(), n => n.Template == "market.member.joined");
        Assert.Equal("user-admin", joined.UserId);
        Assert.Contains("user-clerk", joined.Body, StringComparison.Ordinal);
    }

    private sealed class StaffDirectory : INotificationRecipientDirectory
    {
        public ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new NotificationRecipient(userId, NotificationLanguage.Chinese, null, null));

        public ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<string>>(role == PlatformRoles.Staff ? ["staff1"] : []);
    }
}
