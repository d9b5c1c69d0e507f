using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Web.Projects;

/// <summary>What the registration form edits: the fields of <see cref="ProjectInput"/> as the inputs bind them.</summary>
public sealed class ProjectFormModel
{
    public string TradeType { get; set; } = TradeTypes.EngineeringConstruction;

    public string Method { get; set; } = TradeMethods.OpenTender;

    public string? Name { get; set; }

    public Guid? OwnerEntityId { get; set; }

    public Guid? AgencyEntityId { get; set; }

    public string? AgencyLetterSha256 { get; set; }

    public string? AgencyLetterName { get; set; }

    public bool StateFunded { get; set; }

    public string? RegionCode { get; set; }

    public string? Industry { get; set; }

    /// <summary>The supervising department (行政监督部门), optional: the expert draw avoids its staff.</summary>
    public string? SupervisingDepartmentName { get; set; }

    public string? SupervisingDepartmentCreditCode { get; set; }

    public List<SectionFormModel> Sections { get; } = [new()];

    public decimal TotalPrice => Sections.Sum(s => s.EstimatedPrice ?? 0m);

    public ProjectInput ToInput() => new(
        TradeType, Method, Name ?? string.Empty, OwnerEntityId ?? Guid.Empty, AgencyEntityId, AgencyEntityId is null ? null : AgencyLetterSha256,
        StateFunded, RegionCode ?? string.Empty, Industry ?? string.Empty,
        [.. Sections.Select(s => new SectionEdit(s.Id, new SectionDraft(s.Subject ?? string.Empty, s.EstimatedPrice ?? 0m, s.DepositAmount ?? 0m, s.Forms)))],
        SupervisingDepartmentName, SupervisingDepartmentCreditCode, AgencyEntityId is null ? null : AgencyLetterName);

    public static ProjectFormModel From(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var model = new ProjectFormModel
        {
            TradeType = project.TradeType,
            Method = project.Method,
            Name = project.Name,
            OwnerEntityId = project.OwnerEntityId,
            AgencyEntityId = project.AgencyEntityId,
            AgencyLetterSha256 = project.AgencyLetterSha256,
            StateFunded = project.StateFunded,
            RegionCode = project.RegionCode,
            Industry = project.Industry,
            SupervisingDepartmentName = project.SupervisingDepartmentName,
            SupervisingDepartmentCreditCode = project.SupervisingDepartmentCreditCode,
        };
        model.Sections.Clear();
        model.Sections.AddRange(project.Sections.Select(s => new SectionFormModel
        {
            Id = s.Id,
            Code = s.Code,
            Subject = s.Subject,
            EstimatedPrice = s.EstimatedPrice,
            DepositAmount = s.DepositAmount,
            Forms = s.DepositForms,
        }));
        return model;
    }
}

public sealed class SectionFormModel
{
    /// <summary>A stable key for the row while the form is open (new rows have no id yet).</summary>
    public Guid Key { get; } = Guid.NewGuid();

    public Guid? Id { get; set; }

    public string? Code { get; set; }

    public string? Subject { get; set; }

    public decimal? EstimatedPrice { get; set; }

    public decimal? DepositAmount { get; set; }

    public DepositForms Forms { get; set; }
}
