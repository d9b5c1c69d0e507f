namespace Trading.Workflow.Cli.Tests;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Validate_WhenEveryFileIsValid_ExitsZero()
    {
        var run = await CliRun.RunAsync("validate", CliRun.ScenarioPath("review.bpmn"), CliRun.ScenarioPath("bid.bpmn"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, run.Lines.Count);
        Assert.All(run.Lines, line => Assert.True(line.GetProperty("parsed").GetBoolean()));
    }

    [Fact]
    public async Task Validate_WhenAFileParsesWithProblems_ExitsOneAndListsThem()
    {
        var run = await CliRun.RunAsync("validate", CliRun.ScenarioPath("no-start-event.bpmn"));

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.True(line.GetProperty("parsed").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, line.GetProperty("error").ValueKind);
        var problems = line.GetProperty("problems").EnumerateArray().ToList();
        Assert.Contains(problems, p => p.GetProperty("severity").GetString() == "error" && p.GetProperty("processId").GetString() == "orphan");
        Assert.All(problems, p => Assert.False(string.IsNullOrEmpty(p.GetProperty("messageZh").GetString())));
    }

    [Fact]
    public async Task Validate_WhenAFileCannotBeParsed_ExitsTwoWithTheParseError()
    {
        var run = await CliRun.RunAsync("validate", CliRun.ScenarioPath("malformed.bpmn"));

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.False(line.GetProperty("parsed").GetBoolean());
        Assert.Equal("XML_MALFORMED", line.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Validate_200000NestedElements_IsRefusedAtOnce()
    {
        // Issue 16 §5: the command line ran past 120 s on this file; the depth is now refused by a streaming pass.
        var path = Path.Combine(Path.GetTempPath(), $"nested-{Guid.NewGuid():N}.bpmn");
        await File.WriteAllTextAsync(path, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" xmlns:x=\"urn:probe\" id=\"d\" targetNamespace=\"t\">"
            + "<bpmn:process id=\"p\" isExecutable=\"true\"><bpmn:startEvent id=\"s\"><bpmn:extensionElements>"
            + string.Concat(Enumerable.Repeat("<x:a>", 200_000)) + string.Concat(Enumerable.Repeat("</x:a>", 200_000))
            + "</bpmn:extensionElements></bpmn:startEvent></bpmn:process></bpmn:definitions>");
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();

            var run = await CliRun.RunAsync("validate", path);

            Assert.Equal(2, run.ExitCode);
            Assert.Equal("XML_TOO_DEEP", Assert.Single(run.Lines).GetProperty("error").GetProperty("code").GetString());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Validate_WithAnUnparsableAndAnInvalidFile_ExitsTwoAndReportsBoth()
    {
        var run = await CliRun.RunAsync("validate", CliRun.ScenarioPath("no-start-event.bpmn"), CliRun.ScenarioPath("malformed.bpmn"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(2, run.Lines.Count);
    }

    [Fact]
    public async Task Validate_WithHandlerList_ReportsAServiceTaskWhoseHandlerIsNotInIt()
    {
        var run = await CliRun.RunAsync("validate", "--handler", "notify.bidders", CliRun.ScenarioPath("review.bpmn"));

        Assert.Equal(1, run.ExitCode);
        var problems = Assert.Single(run.Lines).GetProperty("problems").EnumerateArray();
        Assert.Contains(problems, p => p.GetProperty("elementId").GetString() == "Notify");
    }

    [Fact]
    public async Task Validate_WithoutFiles_IsAUsageErrorExitingTwo()
    {
        var run = await CliRun.RunAsync("validate");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--help", run.Stderr);
    }

    [Theory]
    [InlineData("set-parent.bpmn", "set-child.bpmn")]
    [InlineData("set-child.bpmn", "set-parent.bpmn")]
    public async Task Validate_CallActivityToAnotherFileGivenTogether_IsValidInEitherOrder(string first, string second)
    {
        var run = await CliRun.RunAsync("validate", CliRun.ScenarioPath(first), CliRun.ScenarioPath(second));

        Assert.Equal(0, run.ExitCode);
        Assert.All(run.Lines, line => Assert.True(line.GetProperty("valid").GetBoolean()));
    }

    [Fact]
    public async Task Validate_CallActivityWithoutTheFileItCalls_ExitsOneNamingTheCall()
    {
        var run = await CliRun.RunAsync("validate", CliRun.ScenarioPath("set-parent.bpmn"));

        Assert.Equal(1, run.ExitCode);
        var problems = Assert.Single(run.Lines).GetProperty("problems").EnumerateArray();
        Assert.Contains(problems, p => p.GetProperty("code").GetString() == "CALL_UNKNOWN_PROCESS" && p.GetProperty("elementId").GetString() == "callChild");
    }

    [Fact]
    public async Task Validate_SameProcessInTwoFiles_ExitsOneOnTheSecond()
    {
        var run = await CliRun.RunAsync("validate", CliRun.ScenarioPath("set-child.bpmn"), CliRun.ScenarioPath("set-child.bpmn"));

        Assert.Equal(1, run.ExitCode);
        Assert.True(run.Lines[0].GetProperty("valid").GetBoolean());
        Assert.Contains(run.Lines[1].GetProperty("problems").EnumerateArray(), p => p.GetProperty("code").GetString() == "DUPLICATE_PROCESS_IN_SET");
    }

    [Fact]
    public async Task Help_ListsEveryCommand()
    {
        var run = await CliRun.RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("simulate", run.Stdout);
        Assert.Contains("validate", run.Stdout);
        Assert.Contains("export", run.Stdout);
    }
}
