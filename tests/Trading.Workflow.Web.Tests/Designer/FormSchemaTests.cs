using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Web.Designer;

namespace Trading.Workflow.Web.Tests.Designer;

public sealed class FormSchemaTests
{
    private static readonly DesignerText Text = new(new ResourceManagerStringLocalizerFactory(
        Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance));

    [Fact]
    public void ToJson_ThenParse_KeepsFieldsInOrder()
    {
        var schema = new FormSchema
        {
            Components =
            [
                new FormField { Type = "money", Key = "budget", Label = "预算", Required = true },
                new FormField { Type = "select", Key = "method", Label = "方式", ChoicesText = "open=公开招标; invited=邀请招标" },
            ],
        };

        var parsed = FormSchema.Parse(schema.ToJson());

        Assert.Equal(
            [("money", "budget", true, ""), ("select", "method", false, "open=公开招标; invited=邀请招标")],
            parsed.Components.Select(f => (f.Type, f.Key!, f.Required, f.ChoicesText)));
    }

    [Fact]
    public void ToJson_WritesFormJsShape()
    {
        var schema = new FormSchema { Components = [new FormField { Type = "textfield", Key = "name", Required = true }] };

        Assert.Equal("""{"type":"default","components":[{"type":"textfield","key":"name","validate":{"required":true}}]}""", schema.ToJson());
    }

    [Fact]
    public void Check_RepeatedKey_IsAProblem()
    {
        var schema = new FormSchema { Components = [new FormField { Key = "a" }, new FormField { Key = "a" }] };

        var problem = Assert.Single(schema.Check(Text));

        Assert.Contains("a", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SelectWithoutChoices_IsAProblem()
    {
        var schema = new FormSchema { Components = [new FormField { Type = "radio", Key = "result" }] };

        Assert.Single(schema.Check(Text));
    }

    [Fact]
    public void Check_CompleteForm_HasNoProblem()
    {
        var schema = new FormSchema
        {
            Components =
            [
                new FormField { Type = "datetime", Key = "openAt" },
                new FormField { Type = "filepicker", Key = "attachment" },
                new FormField { Type = "display", Key = "projectCode" },
            ],
        };

        Assert.Empty(schema.Check(Text));
    }
}
