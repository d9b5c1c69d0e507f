using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Persistence;

/// <summary>
/// One shared part's or trade module's own versioned scripts, embedded from
/// <c>&lt;Area&gt;/Schema/&lt;Provider&gt;/NNNN_name.sql</c> and recorded under <see cref="Module"/> in the schema history.
/// </summary>
public sealed record TradingSchemaModule(string Module, string ResourcePrefix)
{
    public SchemaScriptSet ScriptsFor(DatabaseProvider provider) => SchemaScriptSet.FromEmbeddedResources(
        Module, provider, typeof(TradingSchemaModule).Assembly, $"{ResourcePrefix}.{provider}.");
}

/// <summary>Brings every registered module to its latest version, in registration order.</summary>
public sealed class TradingSchema(IEnumerable<TradingSchemaModule> modules, Trading.Workflow.Engine.Persistence.Data.WorkflowDatabase database, SchemaMigrator migrator)
{
    public IReadOnlyList<TradingSchemaModule> Modules { get; } = modules.ToArray();

    public async Task<IReadOnlyList<SchemaUpgradeResult>> UpgradeAsync(CancellationToken cancellationToken = default)
    {
        var results = new List<SchemaUpgradeResult>();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        foreach (var module in Modules)
        {
            results.Add(await migrator.UpgradeAsync(connection, module.ScriptsFor(database.Provider), cancellationToken: cancellationToken));
        }

        return results;
    }
}
