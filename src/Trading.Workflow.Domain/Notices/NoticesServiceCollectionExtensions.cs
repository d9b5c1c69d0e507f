using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Trading.Workflow.Domain.Notices;

public static class NoticesServiceCollectionExtensions
{
    /// <summary>
    /// Notices and the public portal: the <c>notices</c> schema module, the owner's service, the portal's queries and the
    /// service tasks of the kernel procedure <c>workflows/kernel/notice-review.bpmn</c>.
    /// </summary>
    public static IServiceCollection AddNotices(this IServiceCollection services)
    {
        services.AddTradingSchemaModule("notices", "Trading.Workflow.Domain.Notices.Schema");
        services.TryAddSingleton<NoticeService>();
        services.TryAddSingleton<NoticePortal>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Access.IBusinessKeyProjects, NoticeKeys>());
        services.AddServiceTaskHandler<NoticeSubmitHandler>();
        services.AddServiceTaskHandler<NoticePublishHandler>();
        services.AddServiceTaskHandler<NoticeReturnHandler>();
        return services;
    }
}
