namespace Trading.Workflow.Web;

/// <summary>Online bidding: the room, the result page and the bidding rules' messages (Resources/BiddingResource.tsv).</summary>
public sealed class BiddingResource;
