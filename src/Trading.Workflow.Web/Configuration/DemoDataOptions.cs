using Microsoft.Extensions.Options;

namespace Trading.Workflow.Web.Configuration;

/// <summary>Demo accounts (one per role) and a demo centre, created on first start with an empty database.</summary>
public sealed class DemoDataOptions
{
    public const string SectionName = "DemoData";

    /// <summary>Default true. Turn off for any real deployment.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The one password of every demo account. Default "Demo@2026".</summary>
    public string Password { get; set; } = "Demo@2026";

    internal sealed class Validator : IValidateOptions<DemoDataOptions>
    {
        public ValidateOptionsResult Validate(string? name, DemoDataOptions options)
        {
            var errors = new OptionsErrors();
            errors.Require(!options.Enabled || !string.IsNullOrWhiteSpace(options.Password),
                $"{SectionName}:Password", "is required when DemoData:Enabled is true.");
            return errors.Result();
        }
    }
}
