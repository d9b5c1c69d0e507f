namespace Trading.Workflow.Web;

// The award part's UI strings: Resources/AwardResource.resx (Chinese) and AwardResource.en.resx, generated from
// Resources/AwardResource.tsv by tools/dev/resx.py. Kept beside the award's web code rather than in ResourceMarkers.cs.

/// <summary>Engineering tenders from the evaluation report to the contract: publicity, objections, complaints, award, notices, contracts.</summary>
public sealed class AwardResource;
