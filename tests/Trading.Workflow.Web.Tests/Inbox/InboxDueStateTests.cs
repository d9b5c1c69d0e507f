using Trading.Workflow.Engine.Quartz.Reminders;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>Due-state filtering and flags, with the app's clock moved past the task's due date (3 working days).</summary>
public sealed class InboxDueStateTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    [Fact]
    public async Task OverdueFilter_AfterTheDueDatePassed_ReturnsTheTaskFlaggedOverdue()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var code = "DUE-" + Guid.NewGuid().ToString("N")[..8];
        await tenderee.StartOpenTenderAsync(code);
        var before = await tenderee.InboxAsync($"tab=Group&projectCode={code}&due=Overdue");

        factory.Clock.Advance(TimeSpan.FromDays(10));
        // The sign-in cookie expires with the moved clock too: sign in again.
        var later = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var after = await later.InboxAsync($"tab=Group&projectCode={code}&due=Overdue");

        Assert.Empty(before.Rows);
        Assert.Equal(TaskDueState.Overdue, Assert.Single(after.Rows).DueState);
    }
}
