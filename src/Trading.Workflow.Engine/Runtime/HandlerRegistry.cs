using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Engine.Runtime;

/// <summary>A handler added with <see cref="WorkflowEngineBuilder.AddHandler{T}"/>: a DI type, or a ready instance.</summary>
internal sealed record HandlerRegistration(Type HandlerType, IServiceTaskHandler? Instance);

/// <summary>Handler names the engine knows, for the validator and the designer.</summary>
public interface IServiceTaskHandlerCatalog
{
    /// <summary>Name and description of every registered handler.</summary>
    IReadOnlyDictionary<string, string> Handlers { get; }

    bool Contains(string name);
}

/// <summary>Maps handler names to registrations; the handler itself is resolved from the command's DI scope.</summary>
internal sealed class HandlerRegistry(IEnumerable<HandlerRegistration> registrations, IServiceScopeFactory scopeFactory) : IServiceTaskHandlerCatalog
{
    private Dictionary<string, (HandlerRegistration Registration, string Description)>? _byName;

    public IReadOnlyDictionary<string, string> Handlers
    {
        get
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, entry) in ByName)
            {
                result[name] = entry.Description;
            }

            return result;
        }
    }

    public bool Contains(string name) => ByName.ContainsKey(name);

    public IServiceTaskHandler? Resolve(string name, IServiceProvider services)
    {
        if (!ByName.TryGetValue(name, out var entry))
        {
            return null;
        }

        return entry.Registration.Instance ?? (IServiceTaskHandler)services.GetRequiredService(entry.Registration.HandlerType);
    }

    private Dictionary<string, (HandlerRegistration Registration, string Description)> ByName => _byName ??= Build();

    private Dictionary<string, (HandlerRegistration Registration, string Description)> Build()
    {
        var map = new Dictionary<string, (HandlerRegistration Registration, string Description)>(StringComparer.Ordinal);
        using var scope = scopeFactory.CreateScope();
        foreach (var registration in registrations)
        {
            var handler = registration.Instance ?? (IServiceTaskHandler)scope.ServiceProvider.GetRequiredService(registration.HandlerType);
            if (!map.TryAdd(handler.Name, (registration, handler.Description)))
            {
                throw new InvalidOperationException($"Two service-task handlers are registered under the name '{handler.Name}'.");
            }
        }

        return map;
    }
}
