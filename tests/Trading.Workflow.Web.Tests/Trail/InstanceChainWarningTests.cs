using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Web.Tests.Inbox;

namespace Trading.Workflow.Web.Tests.Trail;

/// <summary>The instance viewer warns when the instance's history chain no longer holds (a user id rewritten in SQL).</summary>
public sealed class InstanceChainWarningTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    [Fact]
    public async Task Viewer_HistoryRowRewrittenInTheDatabase_ShowsTheTamperWarning()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var staff = await WorkflowApiClient.SignInAsync(factory.App, "staff");
        var code = "CHAIN-" + Guid.NewGuid().ToString("N")[..10];
        var instanceId = await tenderee.StartOpenTenderAsync(code);
        await tenderee.PostAsync($"/api/workflow/tasks/{await tenderee.OpenTaskIdAsync(code, "submitAnnouncement")}/claim");
        var parser = new HtmlParser();
        var intact = parser.ParseDocument(await staff.Http.GetStringAsync($"/instances/{instanceId}"));

        var database = factory.App.Services.GetRequiredService<WorkflowDatabase>();
        await using (var connection = await database.OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"UPDATE \"wf_history\" SET \"user_id\" = 'someone-else' WHERE \"instance_id\" = '{instanceId:D}' AND \"type\" = 11";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var tampered = parser.ParseDocument(await staff.Http.GetStringAsync($"/instances/{instanceId}"));

        Assert.Null(intact.QuerySelector("[data-testid=viewer-chain-broken]"));
        var warning = tampered.QuerySelector("[data-testid=viewer-chain-broken]");
        Assert.NotNull(warning);
        Assert.Contains("记录内容被改动", warning.TextContent, StringComparison.Ordinal);
    }
}
