using Microsoft.Extensions.Options;

namespace Trading.Workflow.Domain.Experts;

/// <summary>Settings of the expert pool and the draw (section <c>Experts</c>).</summary>
public sealed class ExpertsOptions
{
    public const string SectionName = "Experts";

    /// <summary>How long a drawn expert has to confirm or decline; no answer by then redraws the seat. Default 2 hours
    /// (never later than the evaluation's start).</summary>
    public TimeSpan ResponseWindow { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long before the evaluation starts the members' names are unsealed to the tenderee and staff
    /// (supervisors always see them). Default 30 minutes.</summary>
    public TimeSpan UnsealBeforeEvaluation { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Experts who sat on a committee of the same tenderee within this many days are avoided; 0 turns the
    /// rule off. Default 30.</summary>
    public int SameTendereeCooldownDays { get; set; } = 30;

    /// <summary>How often the invitation timer looks for unanswered invitations and committees the procedure has not
    /// yet taken. Default 1 minute.</summary>
    public TimeSpan TimerInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the timer keeps offering <c>experts.committee-confirmed</c> to a procedure that is not yet
    /// waiting for it. Default 1 day.</summary>
    public TimeSpan TellProcedureFor { get; set; } = TimeSpan.FromDays(1);
}

public sealed class ExpertsOptionsValidator : IValidateOptions<ExpertsOptions>
{
    public ValidateOptionsResult Validate(string? name, ExpertsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ResponseWindow < TimeSpan.FromMinutes(5) || options.ResponseWindow > TimeSpan.FromDays(3))
        {
            failures.Add($"{ExpertsOptions.SectionName}:ResponseWindow = {options.ResponseWindow} must be 5 minutes to 3 days.");
        }

        if (options.UnsealBeforeEvaluation < TimeSpan.Zero || options.UnsealBeforeEvaluation > TimeSpan.FromDays(1))
        {
            failures.Add($"{ExpertsOptions.SectionName}:UnsealBeforeEvaluation = {options.UnsealBeforeEvaluation} must be 0 to 1 day.");
        }

        if (options.SameTendereeCooldownDays is < 0 or > 3650)
        {
            failures.Add($"{ExpertsOptions.SectionName}:SameTendereeCooldownDays = {options.SameTendereeCooldownDays} must be 0 to 3650.");
        }

        if (options.TimerInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{ExpertsOptions.SectionName}:TimerInterval = {options.TimerInterval} must be at least 1 second.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Who acts on the pool or a committee: user name, account id (for entity memberships), roles and centre.</summary>
public sealed record ExpertsActor(string UserName, string AccountId, IReadOnlyCollection<string> Roles, Guid? CentreId)
{
    public bool IsStaff => Roles.Contains(Accounts.PlatformRoles.Staff) || Roles.Contains(Accounts.PlatformRoles.Administrator);

    public bool IsSupervisor => Roles.Contains(Accounts.PlatformRoles.Supervisor);
}
