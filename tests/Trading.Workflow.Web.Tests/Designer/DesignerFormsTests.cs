using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Web.Designer;
using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Designer;

/// <summary>The forms editor's field-type list names every type of the form schema, in both languages.</summary>
public sealed class DesignerFormsTests : PlatformComponentTest
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public void FieldTypes_EveryTypeHasAName(string culture)
    {
        Culture(culture);
        var text = Services.GetRequiredService<DesignerText>();

        var unnamed = FormFieldTypes.All.Where(t => text[$"Forms.Type.{t}"] == $"Forms.Type.{t}");

        Assert.Empty(unnamed);
    }
}
