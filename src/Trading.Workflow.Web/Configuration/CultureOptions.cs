using System.Globalization;
using Microsoft.Extensions.Options;

namespace Trading.Workflow.Web.Configuration;

/// <summary>UI languages. Chinese is the default; the language switch stores the choice in a cookie.</summary>
public sealed class CultureOptions
{
    public const string SectionName = "Localization";

    public string DefaultCulture { get; set; } = "zh-CN";

    public string[] SupportedCultures { get; set; } = ["zh-CN", "en"];

    internal sealed class Validator : IValidateOptions<CultureOptions>
    {
        private static readonly string[] Available = ["zh-CN", "en"];

        public ValidateOptionsResult Validate(string? name, CultureOptions options)
        {
            var errors = new OptionsErrors();
            errors.Require(options.SupportedCultures.Length > 0, $"{SectionName}:SupportedCultures", "must list at least one culture.");
            foreach (var culture in options.SupportedCultures)
            {
                errors.Require(Available.Contains(culture, StringComparer.OrdinalIgnoreCase),
                    $"{SectionName}:SupportedCultures", $"contains '{culture}'; the UI is translated into {string.Join(", ", Available)} only.");
            }

            errors.Require(options.SupportedCultures.Contains(options.DefaultCulture, StringComparer.OrdinalIgnoreCase),
                $"{SectionName}:DefaultCulture", "must be one of Localization:SupportedCultures.");
            return errors.Result();
        }
    }

    public CultureInfo[] Cultures() => SupportedCultures.Select(CultureInfo.GetCultureInfo).ToArray();
}
