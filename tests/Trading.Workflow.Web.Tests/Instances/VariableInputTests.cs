using System.Globalization;
using System.Resources;
using Trading.Workflow.Engine.Values;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Instances;

/// <summary>The variables an administrator types when retrying an incident: typed values, problems in both languages.</summary>
public sealed class VariableInputTests
{
    private static VariableInputRow Row(string? name, VariableInputType type, string? value) => new() { Name = name, Type = type, Value = value };

    [Fact]
    public void Read_EveryType_GivesTheEnginesTypedValues()
    {
        var (variables, problems) = VariableInput.Read(
        [
            Row("endpoint", VariableInputType.Text, " backup "),
            Row("保证金", VariableInputType.Number, "200,000.50"),
            Row("signed", VariableInputType.Boolean, "否"),
            Row("openDay", VariableInputType.Date, "2026-03-02"),
            Row("openAt", VariableInputType.DateTime, "2026-03-02T09:30+08:00"),
            Row("grace", VariableInputType.Duration, "P3D"),
        ]);

        Assert.Empty(problems);
        Assert.Equal(" backup ", variables["endpoint"]);
        Assert.Equal(200000.50m, variables["保证金"]);
        Assert.Equal(false, variables["signed"]);
        Assert.Equal(new DateOnly(2026, 3, 2), variables["openDay"]);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)), variables["openAt"]);
        Assert.True(VariableValues.DeepEquals(new IsoDuration(0, 0, 3, TimeSpan.Zero), variables["grace"]));
    }

    [Theory]
    [InlineData(VariableInputType.Number, "12元")]
    [InlineData(VariableInputType.Boolean, "maybe")]
    [InlineData(VariableInputType.Date, "2026/03/02")]
    [InlineData(VariableInputType.DateTime, "2026-03-02T09:30")]
    [InlineData(VariableInputType.Duration, "3 days")]
    public void Read_ValueNotOfItsType_ReportsTheRowWithATypedMessageKey(VariableInputType type, string value)
    {
        var (variables, problems) = VariableInput.Read([Row("ok", VariableInputType.Text, "x"), Row("amount", type, value)]);

        var problem = Assert.Single(problems);
        Assert.Equal((1, $"Variables.Invalid.{type}", "amount", value), (problem.Row, problem.ResourceKey, problem.Name, problem.Value));
        Assert.Equal(["ok"], variables.Keys);
    }

    [Theory]
    [InlineData("", "Variables.NameRequired")]
    [InlineData("1st", "Variables.NameInvalid")]
    [InlineData("end point", "Variables.NameInvalid")]
    public void Read_BadName_ReportsIt(string name, string key)
    {
        var (_, problems) = VariableInput.Read([Row(name, VariableInputType.Text, "x")]);

        Assert.Equal(key, Assert.Single(problems).ResourceKey);
    }

    [Fact]
    public void Read_SameNameTwice_ReportsTheSecond()
    {
        var (_, problems) = VariableInput.Read([Row("endpoint", VariableInputType.Text, "a"), Row("endpoint", VariableInputType.Text, "b")]);

        Assert.Equal((1, "Variables.NameDuplicate"), (Assert.Single(problems).Row, problems[0].ResourceKey));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public void EveryProblemKeyAndTypeName_HasATextInTheLanguage(string culture)
    {
        var resources = new ResourceManager("Trading.Workflow.Web.Resources.InstancesResource", typeof(InstancesResource).Assembly);
        var keys = new List<string> { "Variables.NameRequired", "Variables.NameInvalid", "Variables.NameDuplicate" };
        foreach (var type in Enum.GetValues<VariableInputType>())
        {
            keys.Add($"Variables.Type.{type}");
            if (!VariableInput.TryParse(type, "\u0001not a value", out _))
            {
                keys.Add($"Variables.Invalid.{type}");
            }
        }

        var missing = keys.Where(k => string.IsNullOrEmpty(resources.GetString(k, CultureInfo.GetCultureInfo(culture)))).ToList();

        Assert.Empty(missing);
    }
}
