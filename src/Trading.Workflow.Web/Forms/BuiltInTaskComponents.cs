namespace Trading.Workflow.Web.Forms;

/// <summary>
/// A screen built into the platform for work a form cannot do well. A user task names one with the form key
/// <c>component:&lt;key&gt;</c>; the component receives the task and returns the variables to complete it with.
/// </summary>
/// <param name="Key">What the form key names after <c>component:</c>.</param>
/// <param name="ComponentType">A Blazor component with the parameters of <see cref="BuiltInTaskComponentBase"/>.</param>
/// <param name="NameZh">Shown to administrators choosing a component.</param>
/// <param name="Validate">The server-side check of what the component submits; returns the variables to complete with.</param>
public sealed record BuiltInTaskComponent(
    string Key, Type ComponentType, string NameZh, string NameEn, Func<IReadOnlyDictionary<string, object?>, FormValidationResult> Validate)
{
    /// <summary>The instance variables the component shows a party that reads only its own data (a bidder, an expert); none by default.</summary>
    public IReadOnlyList<string> ParticipantVariables { get; init; } = [];

    /// <summary>
    /// The screen holds tables of many columns (the evaluation's prices, the ranking): the task page gives it the page's
    /// whole width with the task's details above it, not two thirds beside them.
    /// </summary>
    public bool Wide { get; init; }
}

/// <summary>The built-in task components; only components that exist are registered.</summary>
public sealed class BuiltInTaskComponentRegistry
{
    public const string Prefix = "component:";

    private readonly Dictionary<string, BuiltInTaskComponent> _components = new(StringComparer.Ordinal);

    public BuiltInTaskComponentRegistry(IEnumerable<BuiltInTaskComponent> components)
    {
        foreach (var component in components)
        {
            if (!typeof(BuiltInTaskComponentBase).IsAssignableFrom(component.ComponentType))
            {
                throw new ArgumentException($"{component.ComponentType} does not derive from {nameof(BuiltInTaskComponentBase)}.", nameof(components));
            }

            _components.Add(component.Key, component);
        }
    }

    public IReadOnlyCollection<BuiltInTaskComponent> All => _components.Values;

    public static bool IsComponentKey(string? formKey) => formKey?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The component a form key names, or null when it names a form or an unknown component.</summary>
    public BuiltInTaskComponent? Find(string? formKey) =>
        IsComponentKey(formKey) && _components.TryGetValue(formKey![Prefix.Length..], out var component) ? component : null;
}
