using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// The shipped <c>engineering-tender.bpmn</c> opens the evaluation at the start the tenderee asked for in the draw, not
/// when the last expert confirms (experts are drawn shortly before, their names sealed until shortly before, and the
/// evaluation starts at the scheduled time, 条例 46); a committee still incomplete at that time holds the evaluation
/// until it is complete, and then it opens at once.
/// </summary>
public sealed class EvaluationStartTests
{
    private static readonly string[] EveryMemberEvaluates = ["evaluation", "evaluation", "evaluation", "evaluation", "evaluation"];

    [Fact]
    public async Task CommitteeConfirmedBeforeTheStart_NoEvaluationUntilTheStartTimerFires_ThenEveryMemberHasATask()
    {
        await using var world = await World.StartAsync();
        var startsAt = world.Host.Clock.GetUtcNow().AddDays(1);
        await world.RequestAsync(startsAt);

        await world.ConfirmAllAsync();

        Assert.Empty(await world.Host.OpenTaskElementsAsync(world.InstanceId));
        Assert.Null(await world.Evaluations.ForProjectAsync(world.Project.Id));
        var timer = Assert.Single(await world.Host.Engine.GetTimersAsync(world.InstanceId), t => t.ElementId == "evaluationStarts");
        Assert.Equal(startsAt, timer.Due);

        await world.Host.AdvanceToAsync(startsAt.AddMinutes(-1));
        Assert.Empty(await world.Host.OpenTaskElementsAsync(world.InstanceId));

        await world.Host.AdvanceToAsync(startsAt);
        Assert.Equal(EveryMemberEvaluates, await world.Host.OpenTaskElementsAsync(world.InstanceId));
        // The evaluation's time limit counts from its actual opening (Evaluation:Duration, 1 day), not from the draw.
        Assert.Equal(startsAt.AddDays(1), await world.EvaluationDueAsync());
    }

    [Fact]
    public async Task StartTimerFiredEarly_AsTheDemoDoes_OpensTheEvaluationWithoutMovingTheClock()
    {
        await using var world = await World.StartAsync();
        await world.RequestAsync(world.Host.Clock.GetUtcNow().AddDays(2));
        await world.ConfirmAllAsync();
        Assert.Empty(await world.Host.OpenTaskElementsAsync(world.InstanceId));

        // The instance viewer's "演示：立即到期" fires the timer by id; the start step must not wait for the clock again.
        var timer = Assert.Single(await world.Host.Engine.GetTimersAsync(world.InstanceId), t => t.ElementId == "evaluationStarts");
        var firedAt = world.Host.Clock.GetUtcNow();
        await world.Host.Engine.FireTimerAsync(timer.Id);

        Assert.Equal(EveryMemberEvaluates, await world.Host.OpenTaskElementsAsync(world.InstanceId));
        Assert.Equal(firedAt.AddDays(1), await world.EvaluationDueAsync());
    }

    [Fact]
    public async Task ReplacementPendingAtTheStart_EvaluationWaitsForTheCommittee_ThenOpensAtOnceOnItsConfirmation()
    {
        await using var world = await World.StartAsync();
        var startsAt = world.Host.Clock.GetUtcNow().AddDays(1);
        var committee = await world.RequestAsync(startsAt);
        await world.ConfirmAllAsync();
        Assert.Empty(await world.Host.OpenTaskElementsAsync(world.InstanceId));

        // An hour before the start a member's seat is voided (a conflict came to light): a replacement is drawn and
        // must answer by the start.
        await world.Host.AdvanceToAsync(startsAt.AddHours(-1));
        var leaving = committee.Invitations.First(i => i.State == InvitationState.Invited);
        await world.Committees.ReplaceMemberAsync(committee.Id, leaving.ExpertId, "与投标人存在利害关系", "staff");
        var pending = await world.PendingAsync();
        Assert.Equal(startsAt, pending.Invitation.RespondBy);

        // The start arrives with the seat still open: no evaluation.
        await world.Host.AdvanceToAsync(startsAt);
        await world.Host.AdvanceToAsync(startsAt.AddMinutes(5));
        Assert.Empty(await world.Host.OpenTaskElementsAsync(world.InstanceId));
        Assert.Null(await world.Evaluations.ForProjectAsync(world.Project.Id));

        // The replacement does not answer: its seat is drawn again after the start, with a whole window to answer in.
        Assert.Equal(1, await world.Committees.RunDueAsync());
        var second = await world.PendingAsync();
        Assert.Equal(startsAt.AddMinutes(5).AddHours(2), second.Invitation.RespondBy);
        Assert.Empty(await world.Host.OpenTaskElementsAsync(world.InstanceId));

        // Its confirmation completes the committee after the start: the evaluation opens at once.
        var confirmedAt = startsAt.AddMinutes(20);
        world.Host.Clock.Set(confirmedAt);
        await world.Committees.RespondAsync(second.Invitation.Id, true, null, second.Expert);
        var tasks = await world.Host.Engine.GetTasksAsync(new TaskQuery { InstanceId = world.InstanceId });
        Assert.Equal(EveryMemberEvaluates, tasks.Select(t => t.ElementId));
        Assert.Contains(tasks, t => t.Assignee == second.Expert.UserName);
        Assert.DoesNotContain(tasks, t => t.Assignee == leaving.UserName);
        Assert.DoesNotContain(await world.Host.Engine.GetTimersAsync(world.InstanceId), t => t.ElementId == "evaluationStarts");
        Assert.Equal(confirmedAt.AddDays(1), await world.EvaluationDueAsync());
    }

    /// <summary>A tender opened on the real procedure with real sealed bids, the method set and eight experts in the pool
    /// (expert8 works for a bidder and is never drawn), waiting on the tenderee's draw request.</summary>
    private sealed class World : IAsyncDisposable
    {
        private World(TenderHost host, Project project, Guid instanceId)
        {
            Host = host;
            Project = project;
            InstanceId = instanceId;
        }

        public TenderHost Host { get; }

        public Project Project { get; }

        public Guid InstanceId { get; }

        public CommitteeService Committees => Host.Services.GetRequiredService<CommitteeService>();

        public EvaluationService Evaluations => Host.Services.GetRequiredService<EvaluationService>();

        public static async Task<World> StartAsync()
        {
            var accounts = new EngineeringTenderFullProcedureTests.Accounts();
            var host = await TenderHost.StartAsync(DatabaseProvider.Sqlite, services =>
            {
                services.AddSingleton<IUserDirectory>(accounts);
                services.AddSingleton<INotificationRecipientDirectory>(accounts);
                services.AddSingleton<IPlatformDirectory>(accounts);
            }, realOpening: true);
            try
            {
                accounts.Add("tenderee", PlatformRoles.Tenderee);
                for (var i = 1; i <= 3; i++)
                {
                    accounts.Add("bidder" + i, PlatformRoles.Bidder);
                }

                var (project, instanceId, _) = await EngineeringTenderFullProcedureTests.OpenAsync(host, payDeposits: false);
                Assert.Equal(["requestCommittee"], await host.OpenTaskElementsAsync(instanceId));
                await host.Services.GetRequiredService<EvaluationService>().SetMethodAsync(project.Id, EvaluationMethod.LowestPrice(candidateCount: 3), "tenderee");
                await EngineeringTenderFullProcedureTests.RegisterExpertsAsync(host, accounts);

                return new World(host, project, instanceId);
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }
        }

        /// <summary>The tenderee's draw (5 experts of A01) with the evaluation start, and its task completed.</summary>
        public async Task<ExpertCommittee> RequestAsync(DateTimeOffset evaluationStartsAt)
        {
            var tenderee = new ExpertsActor("tenderee", "tenderee", [PlatformRoles.Tenderee], null);
            var committee = await Committees.RequestAsync(new CommitteeRequest(Project.Id, [new SpecialtyCount("A01", 5)], [], evaluationStartsAt), tenderee);
            await EngineeringTenderFullProcedureTests.CompleteAsync(Host, InstanceId, "requestCommittee", "tenderee");
            return committee;
        }

        /// <summary>Every drawn expert with an open invitation confirms it.</summary>
        public async Task ConfirmAllAsync()
        {
            while (await FindPendingAsync() is { } pending)
            {
                await Committees.RespondAsync(pending.Invitation.Id, true, null, pending.Expert);
            }
        }

        public async Task<(CommitteeInvitation Invitation, ExpertsActor Expert)> PendingAsync() =>
            await FindPendingAsync() ?? throw new InvalidOperationException("No invitation is open.");

        public async Task<DateTimeOffset> EvaluationDueAsync()
        {
            var due = (string)(await Host.Engine.GetVariablesAsync(InstanceId))[EvaluationVariables.EvaluationDue]!;
            return DateTimeOffset.Parse(due, CultureInfo.InvariantCulture);
        }

        private async Task<(CommitteeInvitation Invitation, ExpertsActor Expert)?> FindPendingAsync()
        {
            var committee = (await Committees.FindByProjectAsync(Project.Id))!;
            var open = committee.Invitations.FirstOrDefault(i => i.State == InvitationState.Invited);
            return open is null ? null : (open, new ExpertsActor(open.UserName, open.UserName, [PlatformRoles.Expert], null));
        }

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }
}
