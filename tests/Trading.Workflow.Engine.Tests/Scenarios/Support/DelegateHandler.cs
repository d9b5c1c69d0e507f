using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Engine.Tests.Scenarios.Support;

/// <summary>A service-task handler whose body the test supplies; it counts its calls.</summary>
public sealed class DelegateHandler(string name, Func<ServiceTaskContext, ValueTask> body) : IServiceTaskHandler
{
    private int _calls;

    public DelegateHandler(string name, Action<ServiceTaskContext> body)
        : this(name, context =>
        {
            body(context);
            return ValueTask.CompletedTask;
        })
    {
    }

    public string Name { get; } = name;

    public string Description => $"Test handler {Name}";

    public int Calls => Volatile.Read(ref _calls);

    public ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        Interlocked.Increment(ref _calls);
        return body(context);
    }
}
