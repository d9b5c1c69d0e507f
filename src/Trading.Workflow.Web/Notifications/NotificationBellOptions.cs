using System.ComponentModel.DataAnnotations;

namespace Trading.Workflow.Web.Notifications;

/// <summary>
/// The bell in the app bar (section <c>Notifications:Bell</c>). A notification recorded on this node updates it at
/// once; one recorded on another node shows at the next poll.
/// </summary>
public sealed class NotificationBellOptions
{
    public const string SectionName = "Notifications:Bell";

    /// <summary>How often an open page re-reads the unread count (default 30 s; one indexed count per user).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
}
