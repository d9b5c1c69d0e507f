namespace Trading.Workflow.Web;

// Markers for each feature's own UI strings (Resources/<Name>.resx in Chinese, <Name>.en.resx in English), generated
// from Resources/<Name>.tsv by tools/dev/resx.py; one file per feature keeps parallel work from colliding.

/// <summary>Task forms and built-in task components.</summary>
public sealed class FormsResource;

/// <summary>The task inbox and the task page.</summary>
public sealed class InboxResource;

/// <summary>The instance list and viewer.</summary>
public sealed class InstancesResource;

/// <summary>Procedures, incidents and the working-day calendar.</summary>
public sealed class AdministrationResource;

/// <summary>MudBlazor's own texts (pager, dialogs, pickers) in the platform's languages.</summary>
public sealed class MudBlazorResource;

/// <summary>Notifications: the bell and the notifications page.</summary>
public sealed class NotificationsResource;

/// <summary>The notice of shipped procedure updates waiting for review.</summary>
public sealed class ProcedureUpdatesResource;

/// <summary>Notices: drafting, review and the public portal (交易信息公开).</summary>
public sealed class NoticesResource;

/// <summary>Deposits: bidders' sub-accounts and states, staff's section deposits and refunds, flagged payments, the mock bank.</summary>
public sealed class DepositsResource;

/// <summary>Market entities: registration, verification, members, and the market rule codes' messages.</summary>
public sealed class MarketResource;

/// <summary>The trail (全程留痕): the audit log, the chain verifier and the history-chain warning; documents, uploads and downloads.</summary>
public sealed class TrailResource;

/// <summary>Projects and sections: registration, the project page and list.</summary>
public sealed class ProjectsResource;

/// <summary>Sealed bids: bidder keys, preparing, replacing and withdrawing a bid, receipts, and their rule codes' messages.</summary>
public sealed class BidsResource;

/// <summary>The remote bid opening: host console, bidders' room, opening record, objections at the opening.</summary>
public sealed class OpeningsResource;

/// <summary>Engineering-construction tenders: the tender rules' messages, the tender page, task components and the workspaces.</summary>
public sealed class TenderResource;

/// <summary>The demo schedule of a demo engineering tender (staff compress its dates to minutes; demo projects only).</summary>
public sealed class TenderDemoResource;

/// <summary>Collusion warnings (围标串标预警): the list, the detail with the review, the count on the project page.</summary>
public sealed class WarningsResource;

/// <summary>Credit (信用): supervisors' credit records, the entity's records, the published sanctions, the award's credit notice.</summary>
public sealed class CreditResource;
