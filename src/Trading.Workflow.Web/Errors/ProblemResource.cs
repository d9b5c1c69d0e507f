namespace Trading.Workflow.Web;

/// <summary>Marker for the error titles and messages in Resources/ProblemResource.resx (Chinese) and .en.resx.</summary>
public sealed class ProblemResource;
