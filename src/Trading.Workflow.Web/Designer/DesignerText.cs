using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Trading.Workflow.Web.Designer;

/// <summary>The designer's UI strings, from Resources/Designer.resx (Chinese) and Designer.en.resx.</summary>
public sealed class DesignerText(IStringLocalizerFactory factory)
{
    private readonly IStringLocalizer _localizer = factory.Create("Designer", typeof(DesignerText).Assembly.GetName().Name!);

    public string this[string key] => _localizer[key];

    public string this[string key, params object[] arguments] => _localizer[key, arguments];

    /// <summary>A string in a given language rather than the user's (texts stored for every reader, such as change notes).</summary>
    public string In(CultureInfo culture, string key, params object[] arguments)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            return _localizer[key, arguments];
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
