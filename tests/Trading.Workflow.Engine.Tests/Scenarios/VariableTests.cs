using Trading.Workflow.Engine.Values;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

/// <summary>Typed variables keep their type and value through the engine.</summary>
public sealed class VariableTests
{
    private static async Task<object?> RoundTripAsync(object? value)
    {
        await using var h = await EngineTestHost.ScenarioAsync("variables.bpmn");
        var instance = await h.StartProcessAsync("holdVariables", new Dictionary<string, object?> { ["v"] = value });
        return (await h.VariablesAsync(instance.Id))["v"];
    }

    [Fact]
    public async Task Decimal_LargeMoneyAmount_StaysExact()
    {
        var value = await RoundTripAsync(12345678901234567.89m);

        Assert.Equal(12345678901234567.89m, Assert.IsType<decimal>(value));
    }

    [Fact]
    public async Task Integer_IsStoredAsDecimalNumber()
    {
        Assert.Equal(42m, Assert.IsType<decimal>(await RoundTripAsync(42)));
    }

    [Fact]
    public async Task DateTimeWithOffset_KeepsItsOffset()
    {
        var opening = new DateTimeOffset(2026, 3, 20, 9, 30, 0, TimeSpan.FromHours(8));

        var value = Assert.IsType<DateTimeOffset>(await RoundTripAsync(opening));

        Assert.Equal(opening, value);
        Assert.Equal(TimeSpan.FromHours(8), value.Offset);
    }

    [Fact]
    public async Task Duration_IsStoredAsIsoDuration()
    {
        var value = await RoundTripAsync(TimeSpan.FromMinutes(90));

        Assert.Equal(IsoDuration.FromTimeSpan(TimeSpan.FromMinutes(90)), Assert.IsType<IsoDuration>(value));
    }

    [Fact]
    public async Task Boolean_StaysBoolean()
    {
        Assert.Equal(true, await RoundTripAsync(true));
    }

    [Fact]
    public async Task List_KeepsOrderAndElementTypes()
    {
        var value = await RoundTripAsync(new object[] { "标段一", 2, true });

        var list = Assert.IsAssignableFrom<IReadOnlyList<object?>>(value);
        Assert.Equal(["标段一", 2m, true], list);
    }

    [Fact]
    public async Task Object_KeepsNestedPropertiesWithTheirTypes()
    {
        var bidder = new Dictionary<string, object?>
        {
            ["name"] = "华信公司",
            ["price"] = 998000.50m,
            ["contact"] = new Dictionary<string, object?> { ["phone"] = "010-88886666" },
        };

        var value = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await RoundTripAsync(bidder));

        Assert.Equal("华信公司", value["name"]);
        Assert.Equal(998000.50m, value["price"]);
        Assert.Equal("010-88886666", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(value["contact"])["phone"]);
    }

    [Fact]
    public async Task Variable_CallerMutatesListAfterStart_EngineValueIsUnchanged()
    {
        var list = new List<object?> { "a" };
        await using var h = await EngineTestHost.ScenarioAsync("variables.bpmn");
        var instance = await h.StartProcessAsync("holdVariables", new Dictionary<string, object?> { ["v"] = list });

        list.Add("b");

        Assert.Equal(["a"], Assert.IsAssignableFrom<IReadOnlyList<object?>>((await h.VariablesAsync(instance.Id))["v"]));
    }

    [Fact]
    public async Task Variable_SetOnCompletion_UpdatesExistingValue()
    {
        await using var h = await EngineTestHost.ScenarioAsync("variables.bpmn");
        var instance = await h.StartProcessAsync("holdVariables", new { price = 100m });

        await h.Engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { ["price"] = 95.5m });

        Assert.Equal(95.5m, (await h.VariablesAsync(instance.Id))["price"]);
    }

    [Fact]
    public async Task SubProcessInputMapping_IsVisibleInsideTheSubProcess()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/scopedVariables.bpmn");

        var instance = await h.StartProcessAsync("scopedVariables", new { projectCode = "GC-9" });

        Assert.Equal("评审 GC-9-A", (await h.SingleTaskAsync(instance.Id, "evaluate")).Name);
    }

    [Fact]
    public async Task SubProcessInputMapping_IsLocalAndNotOnTheProcess()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/scopedVariables.bpmn");

        var instance = await h.StartProcessAsync("scopedVariables", new { projectCode = "GC-9" });

        Assert.DoesNotContain("lotName", (await h.VariablesAsync(instance.Id)).Keys);
    }

    [Fact]
    public async Task SubProcessOutputMapping_CopiesValueToProcessWhenSubProcessEnds()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/scopedVariables.bpmn");
        var instance = await h.StartProcessAsync("scopedVariables", new { projectCode = "GC-9" });

        await h.CompleteAsync(instance.Id, "evaluate", new { score = 87.5m });

        Assert.Equal(87.5m, (await h.VariablesAsync(instance.Id))["lotScore"]);
        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task CompleteSettingVariableDefinedLocallyInSubProcess_UpdatesTheLocalOneNotTheProcess()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/scopedVariables.bpmn");
        var instance = await h.StartProcessAsync("scopedVariables", new { projectCode = "GC-9" });

        // Camunda 7 setVariable: a variable is set in the nearest scope that already defines it.
        await h.CompleteAsync(instance.Id, "evaluate", new { lotName = "renamed", score = 60m });

        Assert.DoesNotContain("lotName", (await h.VariablesAsync(instance.Id)).Keys);
    }

    [Fact]
    public async Task MultiInstanceElementVariable_TaskCompletionVariable_GoesToProcess()
    {
        await using var h = await EngineTestHost.ScenarioAsync("multi-instance/miSubProcess.bpmn");
        var instance = await h.StartProcessAsync("miSubProcess", new { lots = new[] { "标段一" } });

        await h.CompleteAsync(instance.Id, "evaluate", new { evaluated = true });

        var variables = await h.VariablesAsync(instance.Id);
        Assert.Equal(true, variables["evaluated"]);
        Assert.DoesNotContain("lot", variables.Keys);
    }
}
