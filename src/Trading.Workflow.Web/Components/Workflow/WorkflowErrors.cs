using System.Globalization;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Web.Components.Workflow;

/// <summary>The user's message for the errors a workflow command may raise on a page; null for anything else (which goes to the error page).</summary>
public static class WorkflowErrors
{
    public static string? Describe(Exception exception)
    {
        var english = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
        return exception switch
        {
            Trading.Workflow.Web.Workflow.WorkflowAccessDeniedException => english
                ? Trading.Workflow.Web.Workflow.WorkflowAccessDeniedException.MessageEn
                : Trading.Workflow.Web.Workflow.WorkflowAccessDeniedException.MessageZh,
            WorkflowException workflow => english ? workflow.MessageEn : workflow.MessageZh,
            _ => null,
        };
    }
}
