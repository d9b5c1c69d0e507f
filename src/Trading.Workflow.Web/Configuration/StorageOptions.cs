using Microsoft.Extensions.Options;

namespace Trading.Workflow.Web.Configuration;

/// <summary>Where the platform keeps its files: the SQLite database and the log files.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Data folder; a relative path is resolved against the working directory. Default "data".</summary>
    public string DataFolder { get; set; } = "data";

    public string ResolveDataFolder() => Path.GetFullPath(DataFolder);

    internal sealed class Validator : IValidateOptions<StorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, StorageOptions options)
        {
            var errors = new OptionsErrors();
            errors.Require(!string.IsNullOrWhiteSpace(options.DataFolder), $"{SectionName}:DataFolder", "must name a folder.");
            errors.Require(
                options.DataFolder is null || options.DataFolder.IndexOfAny(Path.GetInvalidPathChars()) < 0,
                $"{SectionName}:DataFolder", "contains characters that are not allowed in a path.");
            return errors.Result();
        }
    }
}
