using Microsoft.Extensions.Localization;

namespace Trading.Workflow.Web.Designer;

/// <summary>The designer's UI strings, from Resources/Designer.resx (Chinese) and Designer.en.resx.</summary>
public sealed class DesignerText(IStringLocalizerFactory factory)
{
    private readonly IStringLocalizer _localizer = factory.Create("Designer", typeof(DesignerText).Assembly.GetName().Name!);

    public string this[string key] => _localizer[key];

    public string this[string key, params object[] arguments] => _localizer[key, arguments];
}
