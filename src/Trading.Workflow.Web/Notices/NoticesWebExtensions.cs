using Trading.Workflow.Web.Kernel;
using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.Notices;

public static class NoticesWebExtensions
{
    /// <summary>The web side of notices: the review component of the inbox task and the owner's and reviewer's services.</summary>
    public static IServiceCollection AddNoticesWeb(this IServiceCollection services)
    {
        services.AddSingleton(NoticeReviewService.Component);
        services.AddScoped<NoticeReviewService>();
        services.AddScoped<NoticeDrafting>();
        services.AddDemoDataStep<NoticesDemoData>();
        return services;
    }

    public static IEndpointRouteBuilder MapNotices(this IEndpointRouteBuilder endpoints) => endpoints.MapNoticePortal();
}
