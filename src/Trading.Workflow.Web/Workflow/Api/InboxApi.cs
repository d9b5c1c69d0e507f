using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Trading.Workflow.Web.Workflow.Api;

/// <summary>The query string of GET /api/workflow/inbox.</summary>
public sealed record InboxRequest(InboxTab? Tab, string? TradeType, string? ProjectCode, DueFilter? Due, InboxSort? Sort, int? Skip, int? Take);

public static class InboxApi
{
    public static RouteGroupBuilder MapInboxApi(this RouteGroupBuilder group)
    {
        group.MapGet("", GetInboxPage).WithName("GetInbox")
            .WithSummary("A page of the caller's inbox")
            .WithDescription("Any signed-in user. Mine: tasks assigned to the caller; Group: unclaimed tasks the caller is a candidate for. Take is 1-200 (default 20).");
        return group;
    }

    public static async Task<Ok<InboxPage>> GetInboxPage([AsParameters] InboxRequest request, ClaimsPrincipal principal, InboxQueries inbox, CancellationToken ct)
    {
        var filter = new InboxFilter(request.Tab ?? InboxTab.Mine)
        {
            TradeType = request.TradeType,
            ProjectCode = request.ProjectCode,
            Due = request.Due ?? DueFilter.Any,
            Sort = request.Sort ?? InboxSort.DueDate,
            Skip = Math.Max(0, request.Skip ?? 0),
            Take = Math.Clamp(request.Take ?? 20, 1, 200),
        };
        return TypedResults.Ok(await inbox.GetPageAsync(WorkflowUser.From(principal), filter, ct));
    }
}
