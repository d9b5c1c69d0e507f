namespace Trading.Workflow.Domain.Evaluation;

/// <summary>Stable rule codes of the evaluation (评标); the web shows them in the user's language.</summary>
public static class EvaluationRules
{
    public const string NotFound = "Evaluation.NotFound";
    public const string NotAllowed = "Evaluation.NotAllowed";
    public const string MethodInvalid = "Evaluation.MethodInvalid";
    public const string MethodLocked = "Evaluation.MethodLocked";
    public const string MethodRequired = "Evaluation.MethodRequired";
    public const string CommitteeRequired = "Evaluation.CommitteeRequired";
    public const string NoOpenedBids = "Evaluation.NoOpenedBids";
    public const string NotScoring = "Evaluation.NotScoring";
    public const string SheetSubmitted = "Evaluation.SheetSubmitted";
    public const string ScoreOutOfRange = "Evaluation.ScoreOutOfRange";
    public const string UnknownCriterion = "Evaluation.UnknownCriterion";
    public const string UnknownBid = "Evaluation.UnknownBid";
    public const string RejectionReasonRequired = "Evaluation.RejectionReasonRequired";
    public const string BelowCostNeedsNote = "Evaluation.BelowCostNeedsNote";
    public const string DepositUnpaid = "Evaluation.DepositUnpaid";
    public const string SheetIncomplete = "Evaluation.SheetIncomplete";
    public const string SheetsOutstanding = "Evaluation.SheetsOutstanding";
    public const string NotChair = "Evaluation.NotChair";
    public const string SummaryRequired = "Evaluation.SummaryRequired";
    public const string NotConfirming = "Evaluation.NotConfirming";
    public const string AlreadyConfirmed = "Evaluation.AlreadyConfirmed";
    public const string DissentReasonRequired = "Evaluation.DissentReasonRequired";
    public const string ConfirmationsOutstanding = "Evaluation.ConfirmationsOutstanding";
    public const string AlreadyAskedForTime = "Evaluation.AlreadyAskedForTime";
    public const string NotAMember = "Evaluation.NotAMember";
    public const string ReplacementPending = "Evaluation.ReplacementPending";
}

/// <summary>The seven grounds on which the committee rejects a bid (否决投标, 招标投标法实施条例 51).</summary>
public enum RejectionReason
{
    /// <summary>(一) 投标文件未经投标单位盖章和单位负责人签字.</summary>
    NotSignedOrSealed = 1,

    /// <summary>(二) 投标联合体没有提交共同投标协议.</summary>
    NoConsortiumAgreement = 2,

    /// <summary>(三) 投标人不符合国家或者招标文件规定的资格条件.</summary>
    NotQualified = 3,

    /// <summary>(四) 同一投标人提交两个以上不同的投标文件或者投标报价（招标文件要求提交备选投标的除外）.</summary>
    MultipleBidsOrPrices = 4,

    /// <summary>(五) 投标报价低于成本或者高于招标文件设定的最高投标限价.</summary>
    BelowCostOrAboveCeiling = 5,

    /// <summary>(六) 投标文件没有对招标文件的实质性要求和条件作出响应.</summary>
    NotResponsive = 6,

    /// <summary>(七) 投标人有串通投标、弄虚作假、行贿等违法行为.</summary>
    CollusionFraudOrBribery = 7,
}
