using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Web.Configuration;

/// <summary>Which database the platform uses. SQLite needs no setup; PostgreSQL needs a connection string.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Sqlite (default) or PostgreSql.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite file name inside the data folder, used when <see cref="ConnectionString"/> is empty. Default "trading.db".</summary>
    public string SqliteFileName { get; set; } = "trading.db";

    /// <summary>Required for PostgreSql; for Sqlite it overrides the file in the data folder.</summary>
    public string? ConnectionString { get; set; }

    internal sealed class Validator : IValidateOptions<DatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
        {
            var errors = new OptionsErrors();
            errors.Require(Enum.IsDefined(options.Provider), $"{SectionName}:Provider", "must be Sqlite or PostgreSql.");
            errors.Require(
                options.Provider != DatabaseProvider.PostgreSql || !string.IsNullOrWhiteSpace(options.ConnectionString),
                $"{SectionName}:ConnectionString", "is required when Database:Provider is PostgreSql.");
            errors.Require(
                options.Provider != DatabaseProvider.Sqlite || !string.IsNullOrWhiteSpace(options.SqliteFileName)
                || !string.IsNullOrWhiteSpace(options.ConnectionString),
                $"{SectionName}:SqliteFileName", "must name the database file when no connection string is given.");
            return errors.Result();
        }
    }
}
