// The marker lives beside its pages; its namespace is the web project's root so the strings are found in
// Resources/ExpertsResource.resx like every other part's.
namespace Trading.Workflow.Web;

/// <summary>The expert pool, the committee draw and the experts' invitations.</summary>
public sealed class ExpertsResource;
