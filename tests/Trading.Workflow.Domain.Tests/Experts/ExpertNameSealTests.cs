using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Experts;

/// <summary>
/// Drawn experts' names in what the procedure records (history, tasks, variables) are read as a placeholder by everybody
/// but supervisors until the committee's unseal time, on a real database.
/// </summary>
public sealed class ExpertNameSealTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, PlatformRoles.Tenderee, true)]
    [InlineData(DatabaseProvider.Sqlite, PlatformRoles.Staff, true)]
    [InlineData(DatabaseProvider.Sqlite, PlatformRoles.Administrator, true)]
    [InlineData(DatabaseProvider.Sqlite, PlatformRoles.Bidder, true)]
    [InlineData(DatabaseProvider.Sqlite, PlatformRoles.Expert, true)]
    [InlineData(DatabaseProvider.Sqlite, PlatformRoles.Supervisor, false)]
    [InlineData(DatabaseProvider.PostgreSql, PlatformRoles.Tenderee, true)]
    [InlineData(DatabaseProvider.PostgreSql, PlatformRoles.Staff, true)]
    [InlineData(DatabaseProvider.PostgreSql, PlatformRoles.Supervisor, false)]
    public async Task DrawnNames_AreSealedForEveryRoleButSupervisors_UntilTheUnsealTime(DatabaseProvider provider, string role, bool sealedBefore)
    {
        await using var host = await ExpertsHost.StartAsync(provider);
        var experts = await host.ExpertsAsync(5);
        var committee = await host.Committees.RequestAsync(host.Request(4, "tenderee2"), ExpertsHost.Tenderee);
        var drawn = committee.Invitations.Select(i => i.UserName).ToList();
        var seals = host.Services.GetRequiredService<ExpertNameSeals>();
        var evaluators = new List<object?>(drawn) { "tenderee2" };
        var details = $$"""{"assignee":"{{drawn[0]}}","note":"{{drawn[0]}}x"}""";

        var before = await seals.ForProjectCodeAsync(host.Project.Code, [role]);

        Assert.Equal(sealedBefore, before.IsSealed);
        if (sealedBefore)
        {
            Assert.Equal(committee.UnsealAt, before.SealedUntil);
            Assert.Equal(ExpertNameSeal.Placeholder, before.Redact(drawn[1]));
            Assert.Equal(ExpertNameSeal.Placeholder, before.Redact(committee.Invitations[1].DisplayName));
            Assert.Equal(Enumerable.Repeat<object?>(ExpertNameSeal.Placeholder, drawn.Count).Append("tenderee2"), (IEnumerable<object?>)before.RedactValue(evaluators)!);
            Assert.Equal($$"""{"assignee":"{{ExpertNameSeal.Placeholder}}","note":"{{drawn[0]}}x"}""", before.Redact(details));
            var undrawn = experts.Select(e => e.UserName).Except(drawn).Single();
            Assert.Equal(undrawn, before.Redact(undrawn));
        }
        else
        {
            Assert.Equal(drawn[1], before.Redact(drawn[1]));
            Assert.Equal(evaluators, (IEnumerable<object?>)before.RedactValue(evaluators)!);
        }

        // From the unseal time (30 min before the evaluation) every role reads the names.
        host.Clock.Advance(committee.UnsealAt - host.Clock.GetUtcNow());
        var after = await seals.ForProjectCodeAsync(host.Project.Code, [role]);
        Assert.False(after.IsSealed);
        Assert.Equal(details, after.Redact(details));
    }
}
