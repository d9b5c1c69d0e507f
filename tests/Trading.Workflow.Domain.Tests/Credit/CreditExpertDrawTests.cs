using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Domain.Tests.Experts;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Credit;

/// <summary>An expert barred by a sanction in force is passed over by every draw, with the reason on the draw record.</summary>
public sealed class CreditExpertDrawTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Draw_PassesOverABarredExpert_AndDrawsThemAgainOnceRevoked(DatabaseProvider provider)
    {
        await using var host = await ExpertsHost.StartAsync(provider);
        var clean = await host.ExpertsAsync(4);
        var barred = await host.ExpertAsync("barred");
        var credit = host.Services.GetRequiredService<CreditService>();
        var supervisor = new CreditViewer("supervisor", "supervisor-id", [PlatformRoles.Supervisor], null);
        var today = new DateOnly(2026, 12, 2);
        var record = await credit.RecordAsync(supervisor, new CreditRecordInput(CreditSubjectKind.Expert, barred.Id, CreditRecordKind.Sanction,
            CreditCategory.ExpertMisconduct, "《招标投标法实施条例》第七十一条", "演监罚〔2026〕9号", "私下接触投标人", today, true, today, today.AddYears(2)));

        var committee = await host.Committees.RequestAsync(host.Request(4, "tenderee2"), ExpertsHost.Tenderee);

        var round = Assert.Single(committee.Rounds);
        var exclusion = Assert.Single(round.Excluded);
        Assert.Equal((barred.Id, ExclusionReason.CreditBarred, "2028-12-02"), (exclusion.ExpertId, exclusion.Reasons.Single(), exclusion.Detail));
        Assert.Equal(clean.Select(e => e.Id).Order(), round.Drawn.Order());

        await credit.RevokeAsync(supervisor, record.Id, record.Version, "复议撤销");
        await using var db = host.Projects.Database.Database.Create();
        Assert.Empty(await CreditService.BarredExpertsAsync(db, today));
    }
}
