using System.Globalization;

namespace Trading.Workflow.Web;

/// <summary>
/// Punctuation that differs between the UI's languages: a label's colon (名称：值 / Name: value) and a list's separator
/// (甲、乙 / A, B). Pages put these between localized parts, so they follow the user's culture too.
/// </summary>
public static class Punctuation
{
    private static bool Chinese => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh";

    /// <summary>"：" in Chinese, ": " otherwise.</summary>
    public static string Colon => Chinese ? "：" : ": ";

    /// <summary>The items joined by "、" in Chinese, ", " otherwise.</summary>
    public static string List(IEnumerable<string> items) => string.Join(Chinese ? "、" : ", ", items);

    /// <summary>The items joined by "；" in Chinese, "; " otherwise (items that hold commas or "、" themselves).</summary>
    public static string Semicolons(IEnumerable<string> items) => string.Join(Chinese ? "；" : "; ", items);

    /// <summary>A remark after a word: "（理由）" in Chinese, " (reason)" otherwise.</summary>
    public static string Parenthesised(string text) => Chinese ? $"（{text}）" : $" ({text})";
}
