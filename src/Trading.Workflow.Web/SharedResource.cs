namespace Trading.Workflow.Web;

/// <summary>Marker for the UI strings in Resources/SharedResource.resx (Chinese) and SharedResource.en.resx.</summary>
public sealed class SharedResource;
