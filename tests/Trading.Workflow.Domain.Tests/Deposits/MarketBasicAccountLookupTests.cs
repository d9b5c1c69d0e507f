using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Deposits;

public sealed class MarketBasicAccountLookupTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Lookup_AnswersTheVerifiedBasicAccountAndOnlyVerifiedEntitiesOfTheUser(DatabaseProvider provider)
    {
        var files = Path.Combine(Path.GetTempPath(), "tw-deposit-files-" + Guid.NewGuid().ToString("N"));
        await using var host = await TradingDatabaseHost.StartAsync(provider, services => services
            .AddMarketEntities()
            .AddSingleton<IFileStore>(new DataFolderFileStore(files)));
        var market = host.Services.GetRequiredService<MarketEntityService>();
        var profile = EntityProfile.Create(EntityKind.Organisation, "演示建设集团有限公司", "91350100M000100Y43", "张三", "福州市鼓楼区演示路1号", "350102",
            new BankAccount("演示银行福州分行", "演示建设集团有限公司", "6222 0000 1111 2222"), [], [new Contact("李四", "13800000000", null)], Today, "350102198001010003");
        var entity = await market.RegisterAsync(EntityKind.Organisation, profile, new MarketActor("user-1"));
        var lookup = host.Services.GetRequiredService<IBasicAccountLookup>();

        Assert.Null(await lookup.FindAsync(entity.Id, CancellationToken.None));
        Assert.Empty(await lookup.EntitiesOfUserAsync("user-1", CancellationToken.None));

        await market.ApproveAsync(entity.Id, entity.Version, new MarketActor("staff-1", Guid.NewGuid()));

        var account = await lookup.FindAsync(entity.Id, CancellationToken.None);
        Assert.Equal("6222000011112222", account?.AccountNumber);
        Assert.Equal("演示建设集团有限公司", Assert.Single(await lookup.EntitiesOfUserAsync("user-1", CancellationToken.None)).Name);
        Assert.Empty(await lookup.EntitiesOfUserAsync("user-2", CancellationToken.None));
    }
}
