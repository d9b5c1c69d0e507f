using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Engine.Quartz.Demo;
using Trading.Workflow.Engine.Quartz.Tests.Support;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Quartz.Tests;

public sealed class FastForwardTests
{
    private static readonly Dictionary<string, object?> _variables = new() { ["wait"] = "P10D" };

    [Fact]
    public async Task FastForward_OutsideDemoMode_IsRefusedAndLogged()
    {
        using var db = new TempSqliteFile();
        await using var host = await WorkflowTestHost.StartAsync(new EngineState(), db.Path, services: s => s.Configure<DemoOptions>(o => o.Enabled = false));
        await host.DeployAsync("timer.bpmn");
        var instance = await host.Engine.StartAsync("timerProcess", variables: _variables);
        var fastForward = host.Services.GetRequiredService<ITimerFastForward>();

        var error = await Assert.ThrowsAsync<DemoModeRequiredException>(() => fastForward.FastForwardAsync(instance.Id, "admin", "客户演示").AsTask());

        Assert.Equal("仅在演示模式下可以快进定时器", error.MessageZh);
        Assert.Equal(InstanceState.Active, (await host.Engine.GetInstanceAsync(instance.Id))!.State);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && Equals(e.State.GetValueOrDefault("UserId"), "admin") && e.Message.Contains("Refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FastForward_InDemoMode_FiresTheInstanceTimersNowAndLogsWhoWhenWhy()
    {
        using var db = new TempSqliteFile();
        await using var host = await WorkflowTestHost.StartAsync(new EngineState(), db.Path, services: s => s.Configure<DemoOptions>(o => o.Enabled = true));
        await host.DeployAsync("timer.bpmn");
        var instance = await host.Engine.StartAsync("timerProcess", variables: _variables);
        var fastForward = host.Services.GetRequiredService<ITimerFastForward>();

        var result = await fastForward.FastForwardAsync(instance.Id, "admin", "客户演示：跳过公示期");

        Assert.Equal(1, result.TimersFired);
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instance.Id))!.State);
        var entry = Assert.Single(host.Logs.Entries, e => e.Category.EndsWith(nameof(TimerFastForward), StringComparison.Ordinal));
        Assert.Equal("admin", entry.State["UserId"]);
        Assert.Equal("客户演示：跳过公示期", entry.State["Reason"]);
        Assert.Equal(result.At, entry.State["At"]);
        Assert.Equal(instance.Id, entry.State["InstanceId"]);
    }
}
