using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Market;
using Trading.Workflow.Web.Projects;

namespace Trading.Workflow.Web.Warnings;

/// <summary>
/// Demo warnings, found by the real computation: two related demo companies (labelled demo data, one legal
/// representative, the same person by name and demo ID number, and one contact phone, both run by the demo account <c>bidder4</c>) take part in the second section
/// of the demo project (<see cref="ProjectsDemoData"/>), then the section's warnings are computed by
/// <see cref="WarningService.ComputeAsync(TradingDbContext, Guid, CancellationToken)"/>, as an opening or an admission
/// does, so a supervisor finds 法定代表人相同 and 联系电话相同 to review. The walk's first section is left alone.
/// Each part is idempotent (registered by credit code, participations ensured, warnings kept by identity).
/// </summary>
public sealed partial class WarningsDemoData(
    MarketEntityService market, ParticipationService participations, WarningService warnings, ITradingDatabase database,
    ILogger<WarningsDemoData> logger) : IDemoDataStep
{
    public const string Suffix = "（演示数据）";
    public const string UserName = "bidder4";
    public const string LegalRepresentative = "赵关联";

    /// <summary>Both companies state this one demo ID number, so the warning is found by number, not by name only.</summary>
    public static string LegalRepresentativeIdNumber { get; } = MarketDemoData.DemoResidentId("530102", 908);
    public const string Phone = "0871-00000088";

    /// <summary>The two related companies: name and a GB 32100-valid credit code with the demo "MA6DEM" sequence.</summary>
    public static IReadOnlyList<(string Name, string Code)> Companies { get; } =
    [
        ("演示甲联建筑工程有限公司" + Suffix, "91530102MA6DEM906" + UnifiedSocialCreditCode.CheckCharacter("91530102MA6DEM906")),
        ("演示乙联建筑工程有限公司" + Suffix, "91530102MA6DEM907" + UnifiedSocialCreditCode.CheckCharacter("91530102MA6DEM907")),
    ];

    /// <summary>After the demo project (200), its deposits (300) and the grants (400).</summary>
    public int Order => 500;

    /// <summary>The demo project's last section (the walk uses the first), or null when there is no demo project.</summary>
    public static async Task<Guid?> DemoSectionAsync(ITradingDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.Create();
        return await (from section in db.Set<Section>().AsNoTracking()
                      join project in db.Set<Project>().AsNoTracking() on section.ProjectId equals project.Id
                      where project.Name == ProjectsDemoData.DemoProjectName
                      orderby project.Code descending, section.Number descending
                      select (Guid?)section.Id).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task SeedAsync(DemoDataContext demo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(demo);
        if (await DemoSectionAsync(database, cancellationToken) is not { } sectionId)
        {
            LogNoSection(ProjectsDemoData.DemoProjectName);
            return;
        }

        var staff = await demo.UserAsync("staff");
        var user = await demo.EnsureUserAsync(UserName, "演示投标人四（关联公司）", PlatformRoles.Bidder, null, cancellationToken);
        for (var index = 0; index < Companies.Count; index++)
        {
            var (name, code) = Companies[index];
            var entityId = await EntityIdAsync(code, cancellationToken);
            if (entityId is null)
            {
                var profile = EntityProfile.Create(
                    EntityKind.Organisation, name, code, LegalRepresentative, $"演示市演示区关联路{index + 1}号" + Suffix, "530102",
                    new BankAccount("演示银行演示市分行" + Suffix, name, $"62220000{906 + index:D8}"), [],
                    [new Contact("演示投标人四", Phone, $"{UserName}@demo.invalid")], market.Today, LegalRepresentativeIdNumber);
                var entity = await market.RegisterAsync(EntityKind.Organisation, profile, new MarketActor(user.Id), cancellationToken);
                await market.ApproveAsync(entity.Id, entity.Version, new MarketActor(staff.Id, staff.CentreId), cancellationToken);
                entityId = entity.Id;
            }

            await participations.EnsureAsync(sectionId, entityId.Value, ParticipationOrigin.DocumentsDownloaded, UserName, cancellationToken);
        }

        // The computation an opening or an admission runs, in a transaction of its own.
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await warnings.ComputeAsync(db, sectionId, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        LogComputed(result.Found, sectionId);
    }

    private async Task<Guid?> EntityIdAsync(string code, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        return await db.Set<MarketEntity>().Where(e => e.Identifier == code).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No demo warnings: the demo project {Name} has no section")]
    private partial void LogNoSection(string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo warnings: {Found} collusion warnings computed on demo section {SectionId}")]
    private partial void LogComputed(int found, Guid sectionId);
}
