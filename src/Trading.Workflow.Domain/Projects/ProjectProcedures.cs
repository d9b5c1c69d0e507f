using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Projects;

/// <summary>
/// Which procedure (process id) a project of a trade type and method starts when submitted. Configured under
/// <c>Trading:Projects:Procedures</c> as <c>"&lt;trade-type&gt;/&lt;method&gt;": "&lt;process id&gt;"</c>; the defaults name the
/// shipped procedures. A pair with no entry can be registered and saved as a draft but not submitted.
/// </summary>
public sealed class ProjectProcedureOptions
{
    public const string SectionName = "Trading:Projects";

    /// <summary>The engineering tender procedure (open and invited tenders, with or without prequalification).</summary>
    public const string EngineeringTender = "engineering-construction.engineering-tender";

    /// <summary>
    /// The retired open-tender procedure: its opening console had staff type bidders and prices by hand. It stays a sample
    /// of the workbench (inbox, designer) but no project may start it.
    /// </summary>
    public const string RetiredOpenTender = "engineering-construction.open-tender";

    /// <summary>"trade-type/method" → process id. Entries set in configuration add to or replace the defaults.</summary>
    public Dictionary<string, string> Procedures { get; set; } = new(StringComparer.Ordinal)
    {
        [Key(TradeTypes.EngineeringConstruction, TradeMethods.OpenTender)] = EngineeringTender,
        [Key(TradeTypes.EngineeringConstruction, TradeMethods.InvitedTender)] = EngineeringTender,
    };

    public static string Key(string tradeType, string method) => tradeType + "/" + method;
}

public sealed class ProjectProcedures(IOptions<ProjectProcedureOptions> options)
{
    /// <summary>The process id the pair starts, or null when none is configured.</summary>
    public string? For(string tradeType, string method) =>
        options.Value.Procedures.TryGetValue(ProjectProcedureOptions.Key(tradeType, method), out var processId) && !string.IsNullOrWhiteSpace(processId)
            ? processId.Trim()
            : null;

    /// <summary>Whether a registered project starts <paramref name="processId"/> on submission (its handlers need that project).</summary>
    public bool StartedBySubmission(string processId) =>
        options.Value.Procedures.Values.Any(p => string.Equals(p?.Trim(), processId, StringComparison.Ordinal));
}

/// <summary>Checks the configured mapping at start-up: every key a known type and method, every value a process id of that type.</summary>
public sealed class ProjectProcedureOptionsValidator : IValidateOptions<ProjectProcedureOptions>
{
    public ValidateOptionsResult Validate(string? name, ProjectProcedureOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, processId) in options.Procedures)
        {
            var parts = key.Split('/');
            if (parts.Length != 2 || !TradeTypes.IsRegistrable(parts[0]) || !TradeMethods.IsMethodOf(parts[0], parts[1]))
            {
                failures.Add($"{ProjectProcedureOptions.SectionName}:Procedures:{key} is not '<trade type>/<method>' of the catalog (e.g. engineering-construction/open-tender).");
            }
            else if (string.IsNullOrWhiteSpace(processId) || TradeTypes.Of(processId.Trim()) != parts[0])
            {
                failures.Add($"{ProjectProcedureOptions.SectionName}:Procedures:{key} = '{processId}' is not a process id of trade type {parts[0]} (it starts with '{parts[0]}.').");
            }
            else if (string.Equals(processId.Trim(), ProjectProcedureOptions.RetiredOpenTender, StringComparison.Ordinal))
            {
                failures.Add($"{ProjectProcedureOptions.SectionName}:Procedures:{key} = '{processId}' is retired (its opening had staff type bids by hand); use '{ProjectProcedureOptions.EngineeringTender}', whose bids are sealed and opened by their bidders.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
