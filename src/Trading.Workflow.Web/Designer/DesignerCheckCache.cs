using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Web.Designer;

/// <summary>A diagram's check with the variables its dry run asks for.</summary>
public sealed record DesignerCheckResult(DesignerCheck Check, IReadOnlyList<DryRunVariable> Variables);

/// <summary>
/// The designer page's last check, kept with the text it was made of: checking the same diagram again (validate, save,
/// dry run clicked without a change) answers from it instead of parsing the model again. One per page; not thread-safe.
/// </summary>
public sealed class DesignerCheckCache(DesignerValidation validation)
{
    private string? _xml;
    private string? _processId;
    private DesignerCheckResult? _result;

    /// <summary>How many times a diagram was actually parsed.</summary>
    public int Parses { get; private set; }

    public DesignerCheckResult Check(string xml, string processId)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (_result is not null && string.Equals(_processId, processId, StringComparison.Ordinal) && string.Equals(_xml, xml, StringComparison.Ordinal))
        {
            return _result;
        }

        Parses++;
        var check = validation.Check(xml);
        IReadOnlyList<DryRunVariable> variables = [];
        if (check.Readable)
        {
            try
            {
                variables = DryRunVariables.Find(xml, processId);
            }
            catch (BpmnParseException)
            {
                // Readable by the parser means readable here; should it not be, the dry run asks for nothing.
            }
        }

        (_xml, _processId, _result) = (xml, processId, new DesignerCheckResult(check, variables));
        return _result;
    }
}
