namespace Trading.Workflow.Web.Designer;

/// <summary>A form kept with the procedure (a tw:form element of the process): its key, display name and schema JSON.</summary>
public sealed record DesignerForm(string Key, string Name, string Schema);
