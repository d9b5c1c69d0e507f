using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Instances;

public sealed class ParticipantVariablesTests
{
    private static readonly Dictionary<string, object?> Instance = new(StringComparer.Ordinal)
    {
        ["projectCode"] = "DEMO-CITY-GC-2026-0001",
        ["projectName"] = "演示工程",
        ["estimatedPrice"] = 8_600_000m,
        ["otherBidderPrice"] = 8_100_000m,
        ["reviewNote"] = "内部意见",
        ["myPrice"] = 8_200_000m,
        ["sectionName"] = "一标段",
    };

    [Fact]
    public void Filter_KeepsTheProjectIdentityAndTheTaskFormsVariablesOnly()
    {
        var form = new FormSchema
        {
            Components =
            [
                new FormField { Type = FormFieldTypes.Money, Key = "myPrice" },
                new FormField { Type = "display", Key = "sectionName" },
                new FormField { Type = "text", Text = "说明" },
            ],
        };

        var visible = ParticipantVariables.Filter(Instance, ParticipantVariables.Of(form));

        Assert.Equal(new[] { "myPrice", "projectCode", "projectName", "sectionName" }, visible.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(8_200_000m, visible["myPrice"]);
    }

    [Fact]
    public void Filter_WithoutAForm_LeavesOnlyTheProjectIdentity()
    {
        var visible = ParticipantVariables.Filter(Instance, ParticipantVariables.Of(null));

        Assert.Equal(new[] { "projectCode", "projectName" }, visible.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("estimatedPrice", visible.Keys);
    }
}
