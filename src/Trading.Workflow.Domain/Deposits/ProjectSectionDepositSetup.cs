using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// When a project is submitted, configures the deposit of each of its sections that asks one (amount and accepted
/// forms as registered), in the submission's transaction. The beneficiary of a guarantee is the project's owner; until
/// the tender notice states the bid validity period, a guarantee must stay valid
/// <see cref="DefaultGuaranteeValidity"/> days from the submission (staff may change the terms later).
/// </summary>
public sealed class ProjectSectionDepositSetup(DepositService deposits, TimeProvider time) : ISectionDepositSetup
{
    /// <summary>Days a guarantee must stay valid from submission when nothing else is stated yet.</summary>
    public const int DefaultGuaranteeValidity = 120;

    /// <summary>China Standard Time: the day a guarantee is valid until is a Chinese calendar day.</summary>
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public async Task ConfigureAsync(TradingDbContext db, Project project, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(project);
        var validUntil = DateOnly.FromDateTime(time.GetUtcNow().ToOffset(ChinaStandardTime).DateTime).AddDays(DefaultGuaranteeValidity);
        foreach (var section in project.Sections.Where(s => s.DepositAmount > 0).OrderBy(s => s.Number))
        {
            await deposits.ConfigureSectionAsync(db, new SectionTerms(
                section.Id, section.Code, section.Subject, project.Id, project.Code, project.Name, project.CentreId, project.TradeType,
                section.DepositAmount, section.DepositForms, project.OwnerName, validUntil), actor, cancellationToken);
        }
    }
}
