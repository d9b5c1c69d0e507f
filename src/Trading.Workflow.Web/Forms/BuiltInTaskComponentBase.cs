using Microsoft.AspNetCore.Components;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Web.Forms;

/// <summary>What every built-in task component receives; it raises <see cref="Submit"/> with the values to complete the task.</summary>
public abstract class BuiltInTaskComponentBase : ComponentBase
{
    [Parameter, EditorRequired]
    public UserTaskInfo Task { get; set; } = default!;

    /// <summary>The instance's process variables.</summary>
    [Parameter]
    public IReadOnlyDictionary<string, object?> Variables { get; set; } = new Dictionary<string, object?>();

    /// <summary>Problems the server found in the last submission, by field key.</summary>
    [Parameter]
    public IReadOnlyList<FormFieldError> Errors { get; set; } = [];

    /// <summary>True while the user may not act (not their task, or read-only viewer).</summary>
    [Parameter]
    public bool Disabled { get; set; }

    [Parameter]
    public EventCallback<IReadOnlyDictionary<string, object?>> Submit { get; set; }
}
