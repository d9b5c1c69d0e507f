using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.Openings;

/// <summary>
/// The opening's service tasks in a procedure of their own (any trade's): the host's early close of the last session
/// hurries a procedure that waits for <see cref="OpeningMessages.AllClosed"/>, and never fails for one that waits only
/// for the window's timer (an instance on an older version).
/// </summary>
public sealed class OpeningProcedureTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task HostClosesEarly_ProcedureWaitingForTheMessage_ClosesAtOnceAndKeepsTheHostsRecord(DatabaseProvider provider)
    {
        await using var world = await StartAsync(provider);
        var (instanceId, session) = await DecryptedAsync(world, withMessage: true);

        var record = await world.Openings.CloseByHostAsync(session.Id, "staff");

        var engine = world.Services.GetRequiredService<IWorkflowEngine>();
        Assert.Equal(InstanceState.Completed, (await engine.GetInstanceAsync(instanceId))!.State);
        Assert.Equal(record.Sm3, (await engine.GetVariablesAsync(instanceId))[OpeningVariables.RecordSm3]);
        var closed = (await world.Openings.GetAsync(session.Id))!.Session;
        Assert.Equal(("staff", true), (closed.ClosedBy, closed.ClosedEarly));
        // openingClose found it closed: one close, one record.
        Assert.Single(await world.TrailAsync(), e => e.Action == "openings.session.closed");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task HostClosesEarly_ProcedureWaitingOnlyForTheTimer_CloseSucceedsAndTheTimerGoesOn(DatabaseProvider provider)
    {
        await using var world = await StartAsync(provider);
        var (instanceId, session) = await DecryptedAsync(world, withMessage: false);

        var record = await world.Openings.CloseByHostAsync(session.Id, "staff");

        Assert.True(record.Verify());
        var engine = world.Services.GetRequiredService<IWorkflowEngine>();
        Assert.Equal(InstanceState.Active, (await engine.GetInstanceAsync(instanceId))!.State);
        var timer = Assert.Single(await engine.GetTimersAsync(instanceId));
        await engine.FireTimerAsync(timer.Id);
        Assert.Equal(InstanceState.Completed, (await engine.GetInstanceAsync(instanceId))!.State);
        Assert.Single(await world.TrailAsync(), e => e.Action == "openings.session.closed");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task DemoFiresTheWindowNow_WindowEndsNow_AndTheCloseFailsWhatIsStillPending(DatabaseProvider provider)
    {
        await using var world = await StartAsync(provider, demoCentre: true);
        var (instanceId, session) = await DecryptedAsync(world, withMessage: true, decrypt: 2);
        var engine = world.Services.GetRequiredService<IWorkflowEngine>();
        var timer = Assert.Single(await engine.GetTimersAsync(instanceId));
        world.Clock.Advance(TimeSpan.FromMinutes(3));

        var moved = false;
        foreach (var date in world.Services.GetServices<IDemoTimerDate>())
        {
            moved |= await date.MoveToNowAsync(new DemoTimer(instanceId, world.ProjectCode, timer.ProcessId, timer.ElementId, OpeningVariables.WindowEnds, timer.Due), "staff");
        }

        await engine.FireTimerAsync(timer.Id);

        Assert.True(moved);
        Assert.Equal(InstanceState.Completed, (await engine.GetInstanceAsync(instanceId))!.State);
        var view = (await world.Openings.GetAsync(session.Id))!;
        Assert.Equal((OpeningState.Closed, OpeningActors.Platform, world.Clock.GetUtcNow()), (view.Session.State, view.Session.ClosedBy, view.Session.WindowEndsAt));
        Assert.Equal(DecryptFailureCause.WindowClosed, Assert.Single(view.Bids, b => b.State == OpeningBidState.Failed).LastCause);
        Assert.Equal(2, view.Record!.Content.Entries.Count);
        Assert.Single(await world.TrailAsync(), e => e.Action == "openings.session.demo-window-ended");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task DemoFiresTheWindowNow_CentreNotDemoData_IsRefusedAndTheWindowStays(DatabaseProvider provider)
    {
        await using var world = await StartAsync(provider, demoCentre: false);
        var (instanceId, session) = await DecryptedAsync(world, withMessage: true, decrypt: 2);
        var timer = Assert.Single(await world.Services.GetRequiredService<IWorkflowEngine>().GetTimersAsync(instanceId));
        var date = Assert.Single(world.Services.GetServices<IDemoTimerDate>().OfType<OpeningDemoTimerDate>());

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() =>
            date.MoveToNowAsync(new DemoTimer(instanceId, world.ProjectCode, timer.ProcessId, timer.ElementId, OpeningVariables.WindowEnds, timer.Due), "staff"));

        Assert.Equal(DemoDates.DemoOnly, refused.RuleCode);
        Assert.Equal(session.WindowEndsAt, (await world.Openings.GetAsync(session.Id))!.Session.WindowEndsAt);
    }

    private static Task<OpeningWorld> StartAsync(DatabaseProvider provider, bool? demoCentre = null) =>
        OpeningWorld.StartAsync(provider, services =>
        {
            services.AddWorkflowEngine();
            services.AddWorkingDayCalendar();
        }, demoCentre);

    /// <summary>A procedure that opens the world's section at the deadline and waits for the window (and the message); three bids, the first <paramref name="decrypt"/> decrypted.</summary>
    private static async Task<(Guid InstanceId, OpeningSession Session)> DecryptedAsync(OpeningWorld world, bool withMessage, int decrypt = 3)
    {
        var bids = new[]
        {
            await world.SealAsync("演示建设集团有限公司", "8450000.50", 280),
            await world.SealAsync("演示路桥工程有限公司", "8100000.00", 300),
            await world.SealAsync("演示市政工程有限公司", "8300000.00", 290),
        };
        var engine = world.Services.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.Parse(Procedure(withMessage)));
        var instance = await engine.StartAsync(new StartInstanceRequest("test.opening")
        {
            BusinessKey = world.ProjectCode,
            UserId = "tenderee",
            Variables = new Dictionary<string, object?> { [OpeningVariables.SectionId] = world.SectionId.ToString() },
        });
        var session = (await world.Openings.ForSectionAsync(world.SectionId))!;
        Assert.Equal((OpeningState.Decrypting, instance.Id), (session.State, session.InstanceId));
        foreach (var (bid, user) in bids.Zip(["bidder1", "bidder2", "bidder3"]).Take(decrypt))
        {
            Assert.Equal(OpeningBidState.Decrypted, (await world.Openings.DecryptAsync(new(session.Id, bid.EntityId, user, bid.KeyHex))).State);
        }

        return (instance.Id, session);
    }

    private static string Procedure(bool withMessage)
    {
        var wait = withMessage
            ? """
              <bpmn:eventBasedGateway id="wait"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing><bpmn:outgoing>f4</bpmn:outgoing></bpmn:eventBasedGateway>
              <bpmn:intermediateCatchEvent id="window"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing>
                <bpmn:timerEventDefinition><bpmn:timeDate>${decryptionWindowEnds}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
              <bpmn:intermediateCatchEvent id="closed"><bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f6</bpmn:outgoing>
                <bpmn:messageEventDefinition messageRef="allClosed" /></bpmn:intermediateCatchEvent>
              <bpmn:sequenceFlow id="f2" sourceRef="openingStart" targetRef="wait" />
              <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="window" />
              <bpmn:sequenceFlow id="f4" sourceRef="wait" targetRef="closed" />
              <bpmn:sequenceFlow id="f5" sourceRef="window" targetRef="openingClose" />
              <bpmn:sequenceFlow id="f6" sourceRef="closed" targetRef="openingClose" />
              """
            : """
              <bpmn:intermediateCatchEvent id="window"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing>
                <bpmn:timerEventDefinition><bpmn:timeDate>${decryptionWindowEnds}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
              <bpmn:sequenceFlow id="f2" sourceRef="openingStart" targetRef="window" />
              <bpmn:sequenceFlow id="f5" sourceRef="window" targetRef="openingClose" />
              """;
        return $$"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="defs" targetNamespace="http://trading.workflow/tests">
              <bpmn:message id="allClosed" name="{{OpeningMessages.AllClosed}}" />
              <bpmn:process id="test.opening" isExecutable="true">
                <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
                <bpmn:serviceTask id="openingStart" tw:handler="openingStart"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
                <bpmn:serviceTask id="openingClose" tw:handler="openingClose"><bpmn:outgoing>f7</bpmn:outgoing></bpmn:serviceTask>
                <bpmn:endEvent id="end"><bpmn:incoming>f7</bpmn:incoming></bpmn:endEvent>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="openingStart" />
                <bpmn:sequenceFlow id="f7" sourceRef="openingClose" targetRef="end" />
                {{wait}}
              </bpmn:process>
            </bpmn:definitions>
            """;
    }
}
