using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Tests.Projects;

/// <summary>Which procedure engineering projects start, and the mappings the settings refuse.</summary>
public sealed class ProjectProcedureOptionsTests
{
    [Theory]
    [InlineData(TradeMethods.OpenTender)]
    [InlineData(TradeMethods.InvitedTender)]
    public void Defaults_EngineeringOpenAndInvitedTenders_StartTheEngineeringTender(string method)
    {
        var procedures = new ProjectProcedures(Microsoft.Extensions.Options.Options.Create(new ProjectProcedureOptions()));

        Assert.Equal("engineering-construction.engineering-tender", procedures.For(TradeTypes.EngineeringConstruction, method));
        Assert.True(new ProjectProcedureOptionsValidator().Validate(null, new ProjectProcedureOptions()).Succeeded);
    }

    [Fact]
    public void Validate_MappingAProjectToTheRetiredOpenTender_IsRefusedNamingTheSetting()
    {
        var options = new ProjectProcedureOptions();
        options.Procedures[ProjectProcedureOptions.Key(TradeTypes.EngineeringConstruction, TradeMethods.OpenTender)] = "engineering-construction.open-tender";

        var result = new ProjectProcedureOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Trading:Projects:Procedures:engineering-construction/open-tender", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("retired", result.FailureMessage, StringComparison.Ordinal);
    }
}
