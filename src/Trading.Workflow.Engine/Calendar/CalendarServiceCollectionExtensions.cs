using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Trading.Workflow.Engine.Calendar;

public static class CalendarServiceCollectionExtensions
{
    /// <summary>
    /// Registers the working-day calendar: <see cref="ReloadableBusinessCalendar"/> as itself and as
    /// <see cref="IBusinessCalendar"/>, over an <see cref="IHolidayCalendarSource"/> (the in-memory one seeded with
    /// the shipped arrangements unless a durable source was registered first) and <see cref="TimeProvider.System"/>
    /// unless another clock was registered.
    /// </summary>
    public static IServiceCollection AddWorkingDayCalendar(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHolidayCalendarSource, InMemoryHolidayCalendarSource>();
        services.TryAddSingleton<ReloadableBusinessCalendar>();
        services.TryAddSingleton<IBusinessCalendar>(sp => sp.GetRequiredService<ReloadableBusinessCalendar>());
        return services;
    }
}
