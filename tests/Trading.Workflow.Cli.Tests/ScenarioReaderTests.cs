using Trading.Workflow.Cli.Simulation;

namespace Trading.Workflow.Cli.Tests;

public sealed class ScenarioReaderTests
{
    private const string Path = "/scenarios/test.json";

    [Fact]
    public void Parse_ResolvesFilesRelativeToTheScenarioFile()
    {
        var scenario = ScenarioReader.Parse("""{"files": ["sub/a.bpmn"], "steps": []}""", Path);

        Assert.Equal(["/scenarios/sub/a.bpmn"], scenario.Files);
    }

    [Fact]
    public void Parse_VariablesBecomeEngineValues_NumbersAsDecimalsAndTaggedDates()
    {
        var scenario = ScenarioReader.Parse("""{"files": ["a.bpmn"], "steps": [{"start": "p", "variables": {"amount": 150.50, "due": {"$date": "2026-01-02"}}}]}""", Path);

        var start = Assert.IsType<StartStep>(Assert.Single(scenario.Steps));
        Assert.Equal(150.50m, start.Variables!["amount"]);
        Assert.Equal(new DateOnly(2026, 1, 2), start.Variables["due"]);
    }

    [Fact]
    public void Parse_NowWithoutOffset_IsRefused()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioReader.Parse("""{"files": ["a.bpmn"], "now": "2026-03-02T09:00:00", "steps": []}""", Path));

        Assert.Contains("offset", error.Message);
    }

    [Fact]
    public void Parse_StepWithAKeyItsKindDoesNotTake_IsRefusedNamingTheKey()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioReader.Parse("""{"files": ["a.bpmn"], "steps": [{"advance": "PT1H", "variables": {}}]}""", Path));

        Assert.Equal("Step 1 (advance) does not take the key 'variables' (allowed: advance, expectFailure).", error.Message);
    }

    [Fact]
    public void Parse_StepWithTwoActions_IsRefused()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioReader.Parse("""{"files": ["a.bpmn"], "steps": [{"start": "p", "complete": "t"}]}""", Path));

        Assert.Contains("one thing per step", error.Message);
    }

    [Fact]
    public void Parse_NegativeAdvance_IsRefused()
    {
        Assert.Throws<ScenarioException>(() => ScenarioReader.Parse("""{"files": ["a.bpmn"], "steps": [{"advance": "-PT1H"}]}""", Path));
    }

    [Fact]
    public void Parse_WithoutFiles_IsRefused()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioReader.Parse("""{"steps": []}""", Path));

        Assert.Contains("files", error.Message);
    }
}
