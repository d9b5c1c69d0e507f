using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Web.Tests.Deposits;

/// <summary>Basic accounts as the market module answers them, set by each test.</summary>
public sealed class TestEntities : IBasicAccountLookup
{
    public Dictionary<Guid, BasicAccount> Accounts { get; } = [];

    public Dictionary<string, List<DepositorEntity>> Members { get; } = [];

    public Task<BasicAccount?> FindAsync(Guid entityId, CancellationToken cancellationToken) => Task.FromResult(Accounts.GetValueOrDefault(entityId));

    public Task<IReadOnlyList<DepositorEntity>> EntitiesOfUserAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DepositorEntity>>(Members.TryGetValue(userId, out var list) ? list : []);

    /// <summary>The natural persons among the entities (no 基本账户).</summary>
    public HashSet<Guid> NaturalPersons { get; } = [];

    public Task<bool> IsNaturalPersonAsync(Guid entityId, CancellationToken cancellationToken) => Task.FromResult(NaturalPersons.Contains(entityId));

    public Guid Add(string name, string account, string? memberUserId = null, bool naturalPerson = false)
    {
        var id = Guid.NewGuid();
        Accounts[id] = new BasicAccount(id, name, "中国工商银行演示支行", name, account);
        if (memberUserId is not null)
        {
            if (!Members.TryGetValue(memberUserId, out var list))
            {
                Members[memberUserId] = list = [];
            }

            list.Add(new DepositorEntity(id, name, naturalPerson));
        }

        if (naturalPerson)
        {
            NaturalPersons.Add(id);
        }

        return id;
    }
}

public static class DepositTestData
{
    public static SectionTerms Terms(Guid centreId, decimal amount = 20_000m) =>
        new(Guid.NewGuid(), "DEMO-CITY-GC-2026-00001-01", "施工一标段", Guid.NewGuid(), "DEMO-CITY-GC-2026-00001", "城市道路改造工程", centreId,
            TradeTypes.EngineeringConstruction, amount, DepositForms.Transfer | DepositForms.ElectronicGuarantee, "演示市城市建设投资有限公司",
            new DateOnly(2027, 6, 30));
}
