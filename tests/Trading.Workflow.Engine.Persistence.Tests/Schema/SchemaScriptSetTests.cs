using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Engine.Persistence.Tests.Schema;

public sealed class SchemaScriptSetTests
{
    [Fact]
    public void FromEmbeddedResources_LoadsScriptsOrderedByVersion()
    {
        var set = SchemaScriptSet.FromEmbeddedResources(
            "test", DatabaseProvider.Sqlite, typeof(SchemaScriptSetTests).Assembly, "Trading.Workflow.Engine.Persistence.Tests.Schema.Scripts.Sqlite.");

        Assert.Equal(["0001_create_tender.sql", "0002_add_budget.sql", "0003_create_bid.sql"], set.Scripts.Select(s => s.Name));
        Assert.Equal(3, set.LatestVersion);
    }

    [Fact]
    public void FromEmbeddedResources_WithUnknownPrefix_Throws()
    {
        Assert.Throws<SchemaException>(() => SchemaScriptSet.FromEmbeddedResources(
            "test", DatabaseProvider.Sqlite, typeof(SchemaScriptSetTests).Assembly, "No.Such.Prefix."));
    }

    [Fact]
    public void Constructor_WithGapInVersions_Throws()
    {
        var error = Assert.Throws<SchemaException>(() => new SchemaScriptSet("test", DatabaseProvider.Sqlite,
            [new SchemaScript(1, "0001_a.sql", "SELECT 1;"), new SchemaScript(3, "0003_c.sql", "SELECT 1;")]));

        Assert.Contains("0003_c.sql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WithDuplicateVersion_Throws()
    {
        Assert.Throws<SchemaException>(() => new SchemaScriptSet("test", DatabaseProvider.Sqlite,
            [new SchemaScript(1, "0001_a.sql", "SELECT 1;"), new SchemaScript(1, "0001_b.sql", "SELECT 1;")]));
    }
}
