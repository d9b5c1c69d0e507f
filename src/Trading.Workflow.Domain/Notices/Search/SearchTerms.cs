using System.Globalization;
using System.Text;

namespace Trading.Workflow.Domain.Notices.Search;

/// <summary>
/// The platform's own Chinese search terms, the same on SQLite FTS5 and PostgreSQL: every run of CJK characters is
/// indexed as its single characters and its overlapping pairs (城市道路 → 城 城市 市 市道 道 道路 路), every run of
/// letters or digits as one lower-case word. A query is cut the same way except that a CJK run of two or more
/// characters keeps only its pairs, all of which must match: 道路 finds 城市道路改造工程, 路 alone finds every 路, and
/// neither needs a dictionary or a word-segmentation model (FTS5's trigram tokenizer cannot find two-character words).
/// Full-width letters and digits are folded to ASCII (NFKC) first.
/// </summary>
public static class SearchTerms
{
    public const int MaxWordLength = 40;

    /// <summary>The most terms a query keeps; longer queries are cut (the first terms are the most specific).</summary>
    public const int MaxQueryTerms = 32;

    /// <summary>The terms to index for <paramref name="text"/>, in order, repeated as often as they occur.</summary>
    public static List<string> ForIndex(string? text)
    {
        var terms = new List<string>();
        foreach (var (run, cjk) in Runs(text))
        {
            if (!cjk)
            {
                terms.Add(run);
                continue;
            }

            for (var i = 0; i < run.Length; i++)
            {
                terms.Add(run[i].ToString());
                if (i + 1 < run.Length)
                {
                    terms.Add(run.Substring(i, 2));
                }
            }
        }

        return terms;
    }

    /// <summary>The distinct terms every match of <paramref name="query"/> must contain; empty for a query with no letters.</summary>
    public static List<string> ForQuery(string? query)
    {
        var terms = new List<string>();
        foreach (var (run, cjk) in Runs(query))
        {
            if (!cjk || run.Length == 1)
            {
                terms.Add(run);
                continue;
            }

            for (var i = 0; i + 1 < run.Length; i++)
            {
                terms.Add(run.Substring(i, 2));
            }
        }

        return [.. terms.Distinct(StringComparer.Ordinal).Take(MaxQueryTerms)];
    }

    /// <summary>The index terms as one space-separated text, for FTS5's unicode61 tokenizer.</summary>
    public static string IndexText(string? text) => string.Join(' ', ForIndex(text));

    /// <summary>An FTS5 MATCH expression: each term quoted, all required. Null when the query has no term.</summary>
    public static string? Fts5Query(string? query)
    {
        var terms = ForQuery(query);
        return terms.Count == 0 ? null : string.Join(" AND ", terms.Select(t => $"\"{t}\""));
    }

    /// <summary>A PostgreSQL tsquery literal: each term quoted, all required. Null when the query has no term.</summary>
    public static string? TsQuery(string? query)
    {
        var terms = ForQuery(query);
        return terms.Count == 0 ? null : string.Join(" & ", terms.Select(t => $"'{t}'"));
    }

    /// <summary>True for the characters indexed one by one: Han ideographs (with the extensions), kana and hangul.</summary>
    public static bool IsCjk(char c) =>
        c is >= '\u3400' and <= '\u4DBF'   // CJK extension A
          or >= '\u4E00' and <= '\u9FFF'   // CJK unified ideographs
          or >= '\uF900' and <= '\uFAFF'   // compatibility ideographs
          or >= '\u3040' and <= '\u30FF'   // hiragana, katakana
          or >= '\uAC00' and <= '\uD7AF'   // hangul syllables
          or '\u3007';                     // 〇

    // Runs of CJK characters, or of ASCII/Unicode letters and digits (lower-cased). Everything else separates.
    // Surrogate pairs (rare ideographs of extension B+) are dropped rather than split into halves.
    private static IEnumerable<(string Run, bool Cjk)> Runs(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var normalized = text.Normalize(NormalizationForm.FormKC);
        var current = new StringBuilder();
        bool? cjkRun = null;
        foreach (var raw in normalized)
        {
            bool? kind = IsCjk(raw) ? true
                : char.IsLetterOrDigit(raw) && !char.IsSurrogate(raw) ? false
                : null;
            if (kind != cjkRun && current.Length > 0)
            {
                yield return Flush(current, cjkRun!.Value);
            }

            cjkRun = kind;
            if (kind is not null)
            {
                current.Append(kind.Value ? raw : char.ToLower(raw, CultureInfo.InvariantCulture));
            }
        }

        if (current.Length > 0)
        {
            yield return Flush(current, cjkRun!.Value);
        }
    }

    private static (string, bool) Flush(StringBuilder current, bool cjk)
    {
        var run = current.ToString();
        current.Clear();
        return (!cjk && run.Length > MaxWordLength ? run[..MaxWordLength] : run, cjk);
    }
}
