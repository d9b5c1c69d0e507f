using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.Workflow;

/// <summary>
/// What a party that reads only its own data (a bidder, a drawn expert: <c>ProjectStanding.OwnDataOnly</c>) sees of a
/// project instance's variables: the project's public identity (<see cref="Context"/>) and the variables of the task
/// forms it works on (the fields it fills in and the values its forms display), never the rest of the instance
/// (other bidders' data, the estimate, reviewers' notes). The centre's staff, the owner and its agency, supervisors
/// and administrators read the whole instance.
/// </summary>
public static class ParticipantVariables
{
    /// <summary>The project's identity, shown on every task page; nothing confidential.</summary>
    public static IReadOnlyList<string> Context { get; } = ["projectId", "projectCode", "projectName", "tradeType", "tradeMethod"];

    /// <summary>The variables a form reads or writes: every field's key (inputs and displays).</summary>
    public static IEnumerable<string> Of(FormSchema? form) =>
        form?.Components.Where(c => !string.IsNullOrEmpty(c.Key)).Select(c => c.Key!) ?? [];

    /// <summary>Only <see cref="Context"/> and <paramref name="keys"/> of <paramref name="variables"/>.</summary>
    public static IReadOnlyDictionary<string, object?> Filter(IReadOnlyDictionary<string, object?> variables, IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(keys);
        var allowed = new HashSet<string>(Context, StringComparer.Ordinal);
        allowed.UnionWith(keys);
        return variables.Where(v => allowed.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
    }
}
