using Microsoft.Extensions.Options;

namespace Trading.Workflow.Web.Configuration;

/// <summary>Collects failures that each name the full configuration key, e.g. "Database:ConnectionString".</summary>
internal sealed class OptionsErrors
{
    private readonly List<string> _failures = [];

    public void Require(bool condition, string key, string requirement)
    {
        if (!condition)
        {
            _failures.Add($"Setting '{key}' {requirement}");
        }
    }

    public ValidateOptionsResult Result() =>
        _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);
}

internal static class OptionsRegistration
{
    /// <summary>Binds <typeparamref name="TOptions"/> to its section and validates it when the host starts.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string sectionName)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services;
    }
}
