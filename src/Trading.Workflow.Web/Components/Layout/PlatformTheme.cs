using MudBlazor;

namespace Trading.Workflow.Web.Components.Layout;

/// <summary>
/// The platform's one MudBlazor theme: a government-blue primary, a CJK font stack that every desktop in a
/// trading centre has (Windows, UOS/Kylin, macOS, Debian), and compact type for staff who read long tables all day.
/// </summary>
public static class PlatformTheme
{
    public const string DarkModeCookie = "tw-theme";

    private static readonly string[] Fonts =
    [
        "\"Microsoft YaHei\"", "\"PingFang SC\"", "\"Noto Sans CJK SC\"", "\"Noto Sans SC\"", "\"Source Han Sans SC\"",
        "\"WenQuanYi Micro Hei\"", "system-ui", "-apple-system", "\"Segoe UI\"", "Roboto", "sans-serif",
    ];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fae",
            Secondary = "#b5301f",
            Tertiary = "#00796b",
            Info = "#0277bd",
            Success = "#2e7d32",
            Warning = "#ed6c02",
            Error = "#c62828",
            AppbarBackground = "#16467f",
            AppbarText = "#ffffff",
            Background = "#f4f6f9",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "rgba(0,0,0,0.80)",
            TableLines = "#e3e7ed",
            TableStriped = "#f7f9fc",
            TableHover = "#edf3fb",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7ab1f0",
            // White on this light blue is below 3:1; dark text keeps filled buttons readable.
            PrimaryContrastText = "#0d1b2a",
            Secondary = "#f28b7d",
            Tertiary = "#4db6ac",
            AppbarBackground = "#1b2430",
            Background = "#12171e",
            Surface = "#1b222c",
            DrawerBackground = "#161c24",
            TableLines = "#2b3440",
            TableStriped = "#1f2731",
            TableHover = "#243142",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts, FontSize = ".875rem", LineHeight = "1.5" },
            H1 = new H1Typography { FontFamily = Fonts, FontSize = "1.6rem", FontWeight = "600", LineHeight = "1.3" },
            H2 = new H2Typography { FontFamily = Fonts, FontSize = "1.35rem", FontWeight = "600", LineHeight = "1.3" },
            H3 = new H3Typography { FontFamily = Fonts, FontSize = "1.2rem", FontWeight = "600", LineHeight = "1.35" },
            H4 = new H4Typography { FontFamily = Fonts, FontSize = "1.1rem", FontWeight = "600", LineHeight = "1.4" },
            H5 = new H5Typography { FontFamily = Fonts, FontSize = "1rem", FontWeight = "600", LineHeight = "1.4" },
            H6 = new H6Typography { FontFamily = Fonts, FontSize = ".95rem", FontWeight = "600", LineHeight = "1.4" },
            Body1 = new Body1Typography { FontFamily = Fonts, FontSize = ".875rem", LineHeight = "1.5" },
            Body2 = new Body2Typography { FontFamily = Fonts, FontSize = ".8125rem", LineHeight = "1.45" },
            Button = new ButtonTypography { FontFamily = Fonts, FontSize = ".8125rem", FontWeight = "500", TextTransform = "none" },
            Caption = new CaptionTypography { FontFamily = Fonts, FontSize = ".75rem" },
            Subtitle1 = new Subtitle1Typography { FontFamily = Fonts, FontSize = ".9rem", FontWeight = "500" },
            Subtitle2 = new Subtitle2Typography { FontFamily = Fonts, FontSize = ".8125rem", FontWeight = "500" },
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "4px",
            AppbarHeight = "56px",
            DrawerWidthLeft = "248px",
        },
    };
}
