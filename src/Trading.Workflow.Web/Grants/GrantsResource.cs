namespace Trading.Workflow.Web;

/// <summary>Land-use and mineral rights pages: texts and the grant rules' messages (Resources/GrantsResource.tsv).</summary>
public sealed class GrantsResource;
