namespace Trading.Workflow.Cli.Tests;

public sealed class SimulateCommandTests
{
    [Fact]
    public async Task Simulate_FileCallingAProcessOfAFileListedAfterIt_DeploysBothAndRuns()
    {
        var run = await CliRun.SimulateAsync("set-call.json");

        Assert.Equal(0, run.ExitCode);
        Assert.All(run.Lines, line => Assert.True(line.GetProperty("ok").GetBoolean()));
        Assert.Equal(4, run.Lines.Count);
    }

    [Fact]
    public async Task Simulate_WhenEveryExpectationHolds_ExitsZeroWithOneOkLinePerStep()
    {
        var run = await CliRun.SimulateAsync("review-happy.json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(8, run.Lines.Count);
        Assert.All(run.Lines, line => Assert.True(line.GetProperty("ok").GetBoolean(), line.ToString()));
    }

    [Fact]
    public async Task Simulate_ReportLine_CarriesStepOpenTasksInstancesAndTimers()
    {
        var run = await CliRun.SimulateAsync("review-happy.json");

        var line = run.Step(3);
        Assert.Equal("Review", line.GetProperty("step").GetProperty("complete").GetString());
        Assert.Equal(["Rework P-1"], CliRun.Strings(line.GetProperty("openTasks")));
        Assert.Equal(1, line.GetProperty("activeInstances").GetInt32());
        Assert.Equal(0, line.GetProperty("pendingTimers").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, line.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Simulate_WhenAnExpectationFails_ExitsOneAndTheLineSaysWhy()
    {
        var run = await CliRun.SimulateAsync("review-wrong-expectation.json");

        Assert.Equal(1, run.ExitCode);
        var line = run.Step(2);
        Assert.False(line.GetProperty("ok").GetBoolean());
        Assert.Equal("Expected open tasks [Approve P-1] but found [Review P-1] (missing: [Approve P-1], unexpected: [Review P-1]).", line.GetProperty("error").GetString());
        Assert.Contains("缺少", line.GetProperty("errorZh").GetString());
    }

    [Fact]
    public async Task Simulate_AfterAFailedExpectation_StillReportsTheRemainingSteps()
    {
        var run = await CliRun.SimulateAsync("review-wrong-expectation.json");

        Assert.True(run.Step(3).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Simulate_ExpectFailure_WhenTheEngineRejects_PassesAndKeepsTheTask()
    {
        var run = await CliRun.SimulateAsync("review-expect-failure.json");

        Assert.Equal(0, run.ExitCode);
        var rejected = run.Step(2);
        Assert.True(rejected.GetProperty("ok").GetBoolean());
        Assert.StartsWith("unknown_variable:", rejected.GetProperty("rejectedWith").GetString());
        Assert.Equal(["Review P-1"], CliRun.Strings(run.Step(3).GetProperty("openTasks")));
    }

    [Fact]
    public async Task Simulate_ExpectFailure_WhenTheActionSucceeds_FailsTheStep()
    {
        var run = await CliRun.SimulateAsync("review-unexpected-success.json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Expected the action to be rejected, but it succeeded.", run.Step(2).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Simulate_WhenAnActionIsRejectedWithoutExpectFailure_ExitsOneWithTheEngineError()
    {
        var run = await CliRun.SimulateAsync("review-rejected-action.json");

        Assert.Equal(1, run.ExitCode);
        var line = run.Step(2);
        Assert.False(line.GetProperty("ok").GetBoolean());
        Assert.StartsWith("unknown_variable:", line.GetProperty("error").GetString());
        Assert.Equal(["Review P-1"], CliRun.Strings(line.GetProperty("openTasks")));
    }

    [Fact]
    public async Task Simulate_Complete_TakesTheOldestMatchingTask()
    {
        var run = await CliRun.SimulateAsync("review-oldest.json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Review P-2"], CliRun.Strings(run.Step(3).GetProperty("openTasks")));
    }

    [Fact]
    public async Task Simulate_Complete_AmongTasksMadeByOneCommand_TakesTheOneCreatedFirst()
    {
        var run = await CliRun.SimulateAsync("fork.json");

        Assert.Equal(0, run.ExitCode);
        // The fork's first outgoing flow leads to the legal check, so the engine created it first.
        Assert.Equal(["Check", "Legal follow-up"], CliRun.Strings(run.Step(2).GetProperty("openTasks")));
    }

    [Fact]
    public async Task Simulate_Advance_BeforeTheDueTime_FiresNoTimer()
    {
        var run = await CliRun.SimulateAsync("timers.json");

        var line = run.Step(3);
        Assert.Equal(0, line.GetProperty("firedTimers").GetInt32());
        Assert.Equal(2, line.GetProperty("pendingTimers").GetInt32());
        Assert.Equal("2026-03-02T09:29:00+08:00", line.GetProperty("now").GetString());
    }

    [Fact]
    public async Task Simulate_Advance_FiresEveryDueTimerInDueOrder()
    {
        var run = await CliRun.SimulateAsync("timers.json");

        Assert.Equal(0, run.ExitCode);
        var line = run.Step(5);
        Assert.Equal(2, line.GetProperty("firedTimers").GetInt32());
        // Open tasks are listed oldest first: the half-hour timer fired (and made its task) before the one-hour timer,
        // although the one-hour branch comes first in the file.
        Assert.Equal(["Half hour task", "One hour task"], CliRun.Strings(line.GetProperty("openTasks")));
    }

    [Fact]
    public async Task Simulate_Advance_FiresATimerCreatedByAnEarlierFiringWhenItFallsDueWithinTheAdvance()
    {
        var run = await CliRun.SimulateAsync("timers-chained.json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, run.Step(2).GetProperty("firedTimers").GetInt32());
        Assert.Equal(["After two hours"], CliRun.Strings(run.Step(2).GetProperty("openTasks")));
    }

    [Fact]
    public async Task Simulate_Message_ReachesOnlyTheInstanceWithTheCorrelationKey()
    {
        var run = await CliRun.SimulateAsync("bid.json");

        var line = run.Step(3);
        Assert.True(line.GetProperty("ok").GetBoolean());
        Assert.Equal(["Evaluate bid B-2 at 100"], CliRun.Strings(line.GetProperty("openTasks")));
    }

    [Fact]
    public async Task Simulate_Message_WithACorrelationKeyNobodyWaitsFor_IsRejected()
    {
        var run = await CliRun.SimulateAsync("bid.json");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("not_found:", run.Step(5).GetProperty("rejectedWith").GetString());
    }

    [Fact]
    public async Task Simulate_Signal_ResumesTheInstanceWaitingForIt()
    {
        var run = await CliRun.SimulateAsync("events.json");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(CliRun.Strings(run.Step(4).GetProperty("openTasks")));
        Assert.Equal(["Open bids"], CliRun.Strings(run.Step(5).GetProperty("openTasks")));
    }

    [Fact]
    public async Task Simulate_AsyncServiceTask_RunsAsAJobWithinTheSameStep()
    {
        var run = await CliRun.SimulateAsync("events.json");

        Assert.Equal(["Prepare opening"], CliRun.Strings(run.Step(1).GetProperty("openTasks")));
        Assert.Contains("archive.documents", run.Stderr);
    }

    [Fact]
    public async Task Simulate_ServiceTaskWithUnknownHandler_RunsAsNoOpAndLogsItsName()
    {
        var run = await CliRun.SimulateAsync("review-happy.json");

        Assert.Contains("notify.reviewers", run.Stderr);
        Assert.Equal(["Review P-1"], CliRun.Strings(run.Step(1).GetProperty("openTasks")));
    }

    [Fact]
    public async Task Simulate_ShippedOpenTenderProcedure_RunsToTheEndWithWorkingDayDeadlines()
    {
        var run = await CliRun.RunAsync("simulate", CliRun.SourcePath("tests/Trading.Workflow.Cli.Tests/Scenarios/open-tender.json"));

        Assert.True(run.ExitCode == 0, run.Stdout);
        // The 5-day document sale from Monday 2 March ends on Saturday the 7th, so it moves to the end of Monday the 9th.
        Assert.Equal(0, run.Step(6).GetProperty("firedTimers").GetInt32());
        Assert.Equal("2026-03-10T00:00:00+08:00", run.Step(6).GetProperty("nextTimerDue").GetString());
    }

    [Fact]
    public async Task Simulate_ScenarioWithUnknownStep_ExitsTwoAndNamesTheStep()
    {
        var run = await CliRun.SimulateAsync("unknown-step.json");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.False(line.GetProperty("ok").GetBoolean());
        Assert.StartsWith("Step 1 has no action or expectation", line.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Simulate_WhenTheScenarioFileIsMissing_ExitsTwo()
    {
        var run = await CliRun.SimulateAsync("no-such-scenario.json");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("Cannot read the scenario file", Assert.Single(run.Lines).GetProperty("error").GetString());
    }

    [Fact]
    public async Task SimulateHelp_DocumentsEveryStepAndTheExitCodes()
    {
        var run = await CliRun.RunAsync("simulate", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var word in new[] { "start", "complete", "message", "signal", "advance", "expectTasks", "expectEnded", "expectTimers", "expectFailure", "Exit code" })
        {
            Assert.Contains(word, run.Stdout);
        }
    }
}
