using Microsoft.Extensions.Logging;
using Trading.Workflow.Web.Hosting;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Hosting;

public sealed class PeriodicWorkerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FailedRound_IsLoggedByName_AndTheNextTickRunsAgain()
    {
        var logs = new CapturingLoggerProvider();
        var worker = new Worker(logs, TimeSpan.FromMilliseconds(20), runsAtStart: false, failFirstRounds: 2);

        await worker.StartAsync(CancellationToken.None);
        await worker.ThirdRound.Task.WaitAsync(Wait);
        await worker.StopAsync(CancellationToken.None);

        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal("A test sweep round failed; it is tried again at the next tick", w.Message));
    }

    [Fact]
    public async Task FailedStartStep_IsLogged_AndTheRoundsStillRun()
    {
        var logs = new CapturingLoggerProvider();
        var worker = new Worker(logs, TimeSpan.FromMilliseconds(20), runsAtStart: false, failFirstRounds: 0) { FailBeforeFirstRound = true };

        await worker.StartAsync(CancellationToken.None);
        await worker.ThirdRound.Task.WaitAsync(Wait);
        await worker.StopAsync(CancellationToken.None);

        Assert.True(worker.BeforeFirstRoundRan);
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task RunsAtStart_RunsItsFirstRoundWithoutWaitingAnInterval_AndStoppingLogsNothing()
    {
        var logs = new CapturingLoggerProvider();
        var worker = new Worker(logs, TimeSpan.FromHours(1), runsAtStart: true, failFirstRounds: 0) { BlockRounds = true };

        await worker.StartAsync(CancellationToken.None);
        await worker.FirstRound.Task.WaitAsync(Wait);
        // The round is still running when the host stops: cancelled, not reported as a failure.
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(1, worker.Rounds);
        Assert.Empty(logs.Entries);
    }

    [Fact]
    public async Task ByDefault_TheFirstRoundWaitsOneInterval()
    {
        var logs = new CapturingLoggerProvider();
        var worker = new Worker(logs, TimeSpan.FromHours(1), runsAtStart: false, failFirstRounds: 0);

        await worker.StartAsync(CancellationToken.None);
        await worker.BeforeFirstRoundDone.Task.WaitAsync(Wait);
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(0, worker.Rounds);
        Assert.Empty(logs.Entries);
    }

    private sealed class Worker(CapturingLoggerProvider logs, TimeSpan interval, bool runsAtStart, int failFirstRounds)
        : PeriodicWorker(TimeProvider.System, logs.CreateLogger("worker"))
    {
        private int _rounds;

        public TaskCompletionSource FirstRound { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ThirdRound { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource BeforeFirstRoundDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool FailBeforeFirstRound { get; init; }

        public bool BlockRounds { get; init; }

        public bool BeforeFirstRoundRan { get; private set; }

        public int Rounds => Volatile.Read(ref _rounds);

        protected override TimeSpan Interval => interval;

        protected override string RoundName => "test sweep";

        protected override bool RunsAtStart => runsAtStart;

        protected override Task BeforeFirstRoundAsync(CancellationToken cancellationToken)
        {
            BeforeFirstRoundRan = true;
            BeforeFirstRoundDone.TrySetResult();
            return FailBeforeFirstRound ? throw new InvalidOperationException("start step failed") : Task.CompletedTask;
        }

        protected override async Task RunRoundAsync(CancellationToken cancellationToken)
        {
            var round = Interlocked.Increment(ref _rounds);
            FirstRound.TrySetResult();
            if (round == 3)
            {
                ThirdRound.TrySetResult();
            }

            if (BlockRounds)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (round <= failFirstRounds)
            {
                throw new InvalidOperationException($"round {round} failed");
            }
        }
    }
}
