using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

public sealed class GatewayTests
{
    private static Task<EngineTestHost> StartAsync() => EngineTestHost.ScenarioAsync("gateways");

    // ---------------------------------------------------------------- exclusive

    [Fact]
    public async Task Exclusive_SeveralConditionsTrue_TakesFirstInDocumentOrder()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("exclusive", new { amount = 200 });

        Assert.Equal(["a"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Exclusive_OnlyLaterConditionTrue_TakesThatFlow()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("exclusive", new { amount = 60 });

        Assert.Equal(["b"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Exclusive_NoConditionTrue_TakesDefaultFlow()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("exclusive", new { amount = 10 });

        Assert.Equal(["c"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Exclusive_NoFlowPossibleOnStart_StartFailsAndNoInstanceExists()
    {
        await using var h = await StartAsync();

        await Assert.ThrowsAsync<NoFlowSelectedException>(async () => await h.StartProcessAsync("exclusiveNoDefaultAtStart", new { amount = 10 }));

        Assert.Empty(await h.Engine.GetInstancesAsync(new InstanceQuery()));
    }

    [Fact]
    public async Task Exclusive_NoFlowPossible_CompleteFailsWithNoFlowSelected()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("exclusiveNoDefault", new { amount = 10 });

        var error = await Assert.ThrowsAsync<NoFlowSelectedException>(async () => await h.CompleteAsync(instance.Id, "prepare"));

        Assert.Equal("gw", error.ElementId);
    }

    [Fact]
    public async Task Exclusive_NoFlowPossible_FailedCommandLeavesNoTrace()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("exclusiveNoDefault", new { amount = 10 });
        var before = await h.SnapshotAsync(instance.Id);

        await Assert.ThrowsAsync<NoFlowSelectedException>(async () => await h.CompleteAsync(instance.Id, "prepare", new { note = "changed" }));

        Assert.Equal(before, await h.SnapshotAsync(instance.Id));
    }

    [Fact]
    public async Task Exclusive_NoFlowPossible_TaskStaysOpenAndCanBeCompletedAfterFixingData()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("exclusiveNoDefault", new { amount = 10 });
        await Assert.ThrowsAsync<NoFlowSelectedException>(async () => await h.CompleteAsync(instance.Id, "prepare"));

        await h.CompleteAsync(instance.Id, "prepare", new { amount = 500 });

        Assert.Equal(["a"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Exclusive_ConditionUsesUnknownVariable_FailsWithUnknownVariableAndCreatesNoInstance()
    {
        await using var h = await StartAsync();

        var error = await Assert.ThrowsAsync<UnknownVariableException>(async () => await h.StartProcessAsync("exclusive", new { price = 1 }));

        Assert.Equal("amount", error.VariableName);
        Assert.Empty(await h.Engine.GetInstancesAsync(new InstanceQuery()));
    }

    [Fact]
    public async Task Exclusive_MoneyArithmeticInCondition_IsExactDecimal()
    {
        await using var h = await StartAsync();

        // 0.1 + 0.2 == 0.3 holds only when numbers are decimals, never binary floats.
        var instance = await h.StartProcessAsync("exactMoney", new { deposit = 0.1m, fee = 0.2m });

        Assert.Equal(["exact"], await h.OpenTaskIdsAsync(instance.Id));
    }

    // ---------------------------------------------------------------- parallel

    [Fact]
    public async Task Parallel_Fork_OpensEveryBranch()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("parallel");

        Assert.Equal(["a", "b"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Parallel_Join_WaitsForEveryIncomingBranch()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("parallel");

        await h.CompleteAsync(instance.Id, "a");

        Assert.Equal(["b"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Parallel_Join_AllBranchesArrived_ContinuesOnce()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("parallel");

        await h.CompleteAsync(instance.Id, "b");
        await h.CompleteAsync(instance.Id, "a");

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Parallel_UnbalancedJoin_WaitsForTokensFromNestedFork()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("parallelUnbalanced");

        await h.CompleteAsync(instance.Id, "a");
        await h.CompleteAsync(instance.Id, "b");
        var beforeLast = await h.OpenTaskIdsAsync(instance.Id);
        await h.CompleteAsync(instance.Id, "c");

        Assert.Equal(["c"], beforeLast);
        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    // ---------------------------------------------------------------- inclusive

    [Fact]
    public async Task Inclusive_Fork_TakesEveryTrueConditionButNotDefault()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("inclusive", new { needA = true, needB = true });

        Assert.Equal(["a", "b"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Inclusive_Fork_NoConditionTrue_TakesDefault()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("inclusive", new { needA = false, needB = false });

        Assert.Equal(["c"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Inclusive_Join_WaitsForEveryActivatedBranch()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("inclusive", new { needA = true, needB = true });

        await h.CompleteAsync(instance.Id, "a");

        Assert.Equal(["b"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Inclusive_Join_OnlyOneBranchActivated_ContinuesWhenItArrives()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("inclusive", new { needA = false, needB = true });

        await h.CompleteAsync(instance.Id, "b");

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Inclusive_Join_OtherBranchCanStillArrive_Waits()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("inclusiveJoin", new { joinB = true });

        await h.CompleteAsync(instance.Id, "a");

        Assert.Equal(["b"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Inclusive_Join_OtherBranchAlreadyEndedElsewhere_ContinuesAtOnce()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("inclusiveJoin", new { joinB = false });
        await h.CompleteAsync(instance.Id, "b");

        await h.CompleteAsync(instance.Id, "a");

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Inclusive_Join_WaitingTokenReleasedWhenOtherBranchCanNoLongerArrive()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("inclusiveJoin", new { joinB = false });
        await h.CompleteAsync(instance.Id, "a");

        // B ends at its own end event: no token can reach the join any more, so the waiting one must go on
        // (BPMN 2.0 §13.3.2 inclusive gateway activation; Flowable re-evaluates inactive joins).
        await h.CompleteAsync(instance.Id, "b");

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Inclusive_Join_BothBranchesArrive_ContinuesExactlyOnce()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("inclusiveJoin", new { joinB = true });

        await h.CompleteAsync(instance.Id, "a");
        await h.CompleteAsync(instance.Id, "b");

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    // ---------------------------------------------------------------- event-based

    [Fact]
    public async Task EventBased_Reached_WaitsForEveryEventAtOnce()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("eventBased", businessKey: "Q-1");

        Assert.Single(await h.TimersAsync(instance.Id));
        Assert.Single(await h.SubscriptionsAsync(instance.Id));
    }

    [Fact]
    public async Task EventBased_MessageArrivesFirst_TimerIsWithdrawnAtOnce()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("eventBased", businessKey: "Q-1");

        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("报价") { BusinessKey = "Q-1" });

        Assert.Empty(await h.TimersAsync(instance.Id));
        Assert.Equal(["quoted"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task EventBased_TimerFiresFirst_MessageSubscriptionIsWithdrawnAtOnce()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("eventBased", businessKey: "Q-1");

        await h.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.Empty(await h.SubscriptionsAsync(instance.Id));
        Assert.Equal(["timedOut"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task EventBased_MessageAfterTimerWon_IsNotDelivered()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("eventBased", businessKey: "Q-1");
        await h.AdvanceAsync(TimeSpan.FromHours(1));

        try
        {
            var result = await h.Engine.CorrelateMessageAsync(new MessageCorrelation("报价") { BusinessKey = "Q-1" });
            Assert.Equal(0, result.Delivered);
        }
        catch (WorkflowException)
        {
            // Camunda 7 refuses a message nobody waits for (MismatchingMessageCorrelationException); both are fine.
        }

        Assert.Equal(["timedOut"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Exclusive_FeelCondition_IsEvaluated()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/feelCondition.bpmn");

        var instance = await h.StartProcessAsync("feelCondition", new { budget = 5000000m, method = "公开招标" });

        Assert.Equal(["big"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Exclusive_FeelConditionFalse_TakesDefault()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/feelCondition.bpmn");

        var instance = await h.StartProcessAsync("feelCondition", new { budget = 5000000m, method = "邀请招标" });

        Assert.Equal(["small"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Inclusive_Join_TokenInsideSubProcessCanStillArrive_Waits()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["child-v1.bpmn", "extra/inclusiveJoinNested.bpmn"]);
        var instance = await h.StartProcessAsync("inclusiveJoinNested");
        var child = Assert.Single(await h.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = instance.Id }));
        await h.CompleteAsync(child.Id, "childTask");

        await h.CompleteAsync(instance.Id, "a");

        // The token at "inner" leaves the sub-process towards the join, so the join must wait for it.
        Assert.Equal(["inner"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Inclusive_Join_TokenInCallActivityCanStillArrive_Waits()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["child-v1.bpmn", "extra/inclusiveJoinNested.bpmn"]);
        var instance = await h.StartProcessAsync("inclusiveJoinNested");

        await h.CompleteAsync(instance.Id, "a");
        await h.CompleteAsync(instance.Id, "inner");

        Assert.Empty(await h.OpenTasksAsync(instance.Id));
        Assert.Contains("callB", (await h.InstanceAsync(instance.Id)).ActiveElementIds);
    }

    [Fact]
    public async Task Inclusive_Join_LastNestedTokenArrives_ContinuesOnce()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["child-v1.bpmn", "extra/inclusiveJoinNested.bpmn"]);
        var instance = await h.StartProcessAsync("inclusiveJoinNested");
        var child = Assert.Single(await h.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = instance.Id }));
        await h.CompleteAsync(instance.Id, "a");
        await h.CompleteAsync(instance.Id, "inner");

        await h.CompleteAsync(child.Id, "childTask");

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Inclusive_NoConditionTrueAndNoDefault_FailsWithNoFlowSelectedAndNoInstance()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/flowSemantics.bpmn");

        var error = await Assert.ThrowsAsync<NoFlowSelectedException>(async () =>
            await h.StartProcessAsync("inclusiveNoDefault", new { needA = false, needB = false }));

        Assert.Equal("iFork", error.ElementId);
        Assert.Empty(await h.Engine.GetInstancesAsync(new InstanceQuery()));
    }

    [Fact]
    public async Task Parallel_ConditionOnOutgoingFlow_IsIgnored()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/flowSemantics.bpmn");

        // BPMN 2.0 §13.3.1: a parallel gateway takes every outgoing flow; conditions there are ignored (Camunda 7 too).
        var instance = await h.StartProcessAsync("parallelIgnoresConditions");

        Assert.Equal(["pa", "pb"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task TaskWithConditionalAndPlainOutgoingFlows_TakesPlainAndEveryTrueConditional()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/flowSemantics.bpmn");
        var instance = await h.StartProcessAsync("conditionalTaskFlows");

        // BPMN 2.0 §13.2.1: an activity's outgoing flows without condition are always taken, conditional ones when true.
        await h.CompleteAsync(instance.Id, "register", new { vip = true });

        Assert.Equal(["archive", "vipCheck"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task TaskWithConditionalAndPlainOutgoingFlows_FalseConditionTakesOnlyPlainFlow()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/flowSemantics.bpmn");
        var instance = await h.StartProcessAsync("conditionalTaskFlows");

        await h.CompleteAsync(instance.Id, "register", new { vip = false });

        Assert.Equal(["archive"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Inclusive_JoinAfterInterruptingBoundaryPath_ContinuesWhenReplacementTokenArrives()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/joinAfterBoundary.bpmn");
        var instance = await h.StartProcessAsync("joinAfterBoundary");
        await h.AdvanceAsync(TimeSpan.FromHours(4));
        await h.CompleteAsync(instance.Id, "prepare");

        // The timeout path replaced "answer": no token can come from "answer" any more, so two arrivals are enough.
        await h.CompleteAsync(instance.Id, "record");

        Assert.Equal(["open"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Inclusive_JoinWithBoundaryPathNotTaken_ContinuesWhenBothNormalBranchesArrive()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/joinAfterBoundary.bpmn");
        var instance = await h.StartProcessAsync("joinAfterBoundary");
        await h.CompleteAsync(instance.Id, "answer");

        await h.CompleteAsync(instance.Id, "prepare");

        Assert.Equal(["open"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Empty(await h.TimersAsync(instance.Id));
    }

    [Fact]
    public async Task Inclusive_JoinWhileTimeoutPathStillPossible_Waits()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/joinAfterBoundary.bpmn");
        var instance = await h.StartProcessAsync("joinAfterBoundary");

        await h.CompleteAsync(instance.Id, "prepare");

        Assert.Equal(["answer"], await h.OpenTaskIdsAsync(instance.Id));
    }
}
