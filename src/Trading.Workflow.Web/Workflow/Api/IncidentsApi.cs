using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Web.Workflow.Api;

public static class IncidentsApi
{
    public static RouteGroupBuilder MapIncidentsApi(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/retry", RetryIncident).WithName("RetryIncident")
            .WithSummary("Retry the failed step of an incident, optionally setting variables first")
            .WithDescription("Administrators only. Variables are in the engine's typed JSON ({\"$date\": \"2026-12-01\"}, {\"$decimal\": \"1.50\"}, ...); "
                             + "a malformed value refuses the whole command and changes nothing.");
        group.MapPost("/{id:guid}/resolve", ResolveIncident).WithName("ResolveIncident")
            .WithSummary("Mark an incident resolved without retrying")
            .WithDescription("Administrators only; the reason is recorded in the instance's history.");
        return group;
    }

    public static async Task<NoContent> RetryIncident(Guid id, RetryRequest request, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct)
    {
        var variables = request.Variables is { ValueKind: JsonValueKind.Object } json ? VariableJson.DeserializeVariables(json.GetRawText()) : null;
        await instances.RetryIncidentAsync(WorkflowUser.From(principal), id, request.Reason ?? string.Empty, variables, ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> ResolveIncident(Guid id, ReasonRequest request, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct)
    {
        await instances.ResolveIncidentAsync(WorkflowUser.From(principal), id, request.Reason ?? string.Empty, ct);
        return TypedResults.NoContent();
    }
}
