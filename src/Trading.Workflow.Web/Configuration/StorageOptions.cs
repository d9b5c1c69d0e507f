using Microsoft.Extensions.Options;

namespace Trading.Workflow.Web.Configuration;

/// <summary>Where the platform keeps its files: the SQLite database, the log files and the keys.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Data folder; a relative path is resolved against the working directory. Default "data".</summary>
    public string DataFolder { get; set; } = "data";

    public string ResolveDataFolder() => Path.GetFullPath(DataFolder);

    /// <summary>
    /// The data-protection key ring (sign-in cookies, antiforgery tokens) and the trail's key file. Default: <c>keys</c>
    /// in the data folder; relative to the data folder when relative. Every app node of one installation must see the
    /// same keys: with several nodes, a folder they all mount (<c>Trail:HashKey</c> set alike also covers the trail key,
    /// not the key ring).
    /// </summary>
    public string KeysFolder { get; set; } = "keys";

    public string ResolveKeysFolder() => Path.GetFullPath(Path.Combine(ResolveDataFolder(), KeysFolder));

    internal sealed class Validator : IValidateOptions<StorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, StorageOptions options)
        {
            var errors = new OptionsErrors();
            errors.Require(!string.IsNullOrWhiteSpace(options.DataFolder), $"{SectionName}:DataFolder", "must name a folder.");
            errors.Require(
                options.DataFolder is null || options.DataFolder.IndexOfAny(Path.GetInvalidPathChars()) < 0,
                $"{SectionName}:DataFolder", "contains characters that are not allowed in a path.");
            errors.Require(
                !string.IsNullOrWhiteSpace(options.KeysFolder) && options.KeysFolder.IndexOfAny(Path.GetInvalidPathChars()) < 0,
                $"{SectionName}:KeysFolder", "must name a folder.");
            return errors.Result();
        }
    }
}
