using Trading.Workflow.Web.Errors;

namespace Trading.Workflow.Web.Components.Workflow;

/// <summary>
/// The user's message for an error a command may raise on a page, from the same map the API answers with;
/// null for anything else (a defect, which goes to the error page).
/// </summary>
public static class WorkflowErrors
{
    public static string? Describe(Exception exception) => PlatformProblems.Describe(exception)?.Detail;
}
