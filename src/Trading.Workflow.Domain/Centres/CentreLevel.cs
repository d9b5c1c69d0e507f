namespace Trading.Workflow.Domain.Centres;

/// <summary>Administrative level of a trading centre. Values are stored in the database: never renumber.</summary>
public enum CentreLevel
{
    Province = 1,
    Prefecture = 2,
    County = 3,
}
